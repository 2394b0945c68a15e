module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/e2e/**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json'}] },
  testTimeout: 180000,
  // Most of an end-to-end test waits on child processes and files, so two workers on two cores
  // finish the suite sooner than Jest's default of one worker less than the cores.
  maxWorkers: 2,
};
