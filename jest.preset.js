// Shared Jest settings: ts-jest compiles each package's own sources, and other
// @carelake packages resolve to their built dist/ (the test target depends on ^build).
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json'}],
  },
  testTimeout: 60000,
};
