import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';

// The dependency direction of the design: parsers at the bottom, adapters above
// them, the runner, the CDK app in infra/ and the CLI on top. A package may import only from its own
// layer or the layers below it.
const layerRules = [
  { sourceTag: 'layer:base', onlyDependOnLibsWithTags: ['layer:base'] },
  { sourceTag: 'layer:parser', onlyDependOnLibsWithTags: ['layer:base', 'layer:parser'] },
  {
    sourceTag: 'layer:adapter',
    onlyDependOnLibsWithTags: ['layer:base', 'layer:parser', 'layer:adapter'],
  },
  {
    sourceTag: 'layer:runner',
    onlyDependOnLibsWithTags: ['layer:base', 'layer:parser', 'layer:adapter', 'layer:runner'],
  },
  {
    sourceTag: 'layer:infra',
    onlyDependOnLibsWithTags: ['layer:base', 'layer:parser', 'layer:adapter', 'layer:runner'],
  },
  {
    sourceTag: 'layer:app',
    onlyDependOnLibsWithTags: ['layer:base', 'layer:parser', 'layer:adapter', 'layer:runner', 'layer:infra'],
  },
  { sourceTag: 'layer:test', onlyDependOnLibsWithTags: ['*'] },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  prettier,
  { ignores: ['**/dist', '**/node_modules', '**/.nx', '**/coverage'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, allow: [], depConstraints: layerRules },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
];
