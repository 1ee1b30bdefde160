// Module boundaries (DESIGN §3): pure libs do no I/O, workflows see only pure libs and
// @temporalio/workflow, I/O libs never reach into apps. Tests are exempt: they wire real servers.
const nx = require('@nx/eslint-plugin');
const tseslint = require('typescript-eslint');
const js = require('@eslint/js');

const NODE_BUILTINS = require('node:module').builtinModules.filter((m) => !m.startsWith('_'));
const IO_PACKAGES = [
  'openai',
  'node-llama-cpp',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/activity',
  '@temporalio/testing',
  'commander',
];
const forbiddenInPureCode = {
  paths: [...NODE_BUILTINS, ...NODE_BUILTINS.map((m) => `node:${m}`), ...IO_PACKAGES].map((name) => ({
    name,
    message: 'pure libs and workflows do no I/O: move this into an activity or an app',
  })),
};

module.exports = tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '.flowsteer/**',
      '.venv/**',
      '.nx/**',
      '.flowsteer-tools/**',
      'test-artifacts/**',
      'coverage/**',
      '**/*.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          // the workflow bundle imports contracts' plug-in schema with import() to defer its
          // evaluation, not to split it off (webpackMode "eager"): static imports stay fine
          checkDynamicDependenciesExceptions: ['@flowsteer/contracts'],
          depConstraints: [
            { sourceTag: 'scope:pure', onlyDependOnLibsWithTags: ['scope:pure'] },
            {
              sourceTag: 'scope:workflows',
              onlyDependOnLibsWithTags: ['scope:pure'],
              allowedExternalImports: ['@temporalio/workflow', '@temporalio/common'],
            },
            { sourceTag: 'scope:io', onlyDependOnLibsWithTags: ['scope:pure', 'scope:io'] },
            { sourceTag: 'scope:app', onlyDependOnLibsWithTags: ['scope:pure', 'scope:io', 'scope:workflows', 'scope:app'] },
          ],
        },
      ],
    },
  },
  {
    // type-aware: a promise nobody awaits or catches is a lost error (or an unhandled rejection)
    files: ['**/*.ts'],
    // the lint tests lint virtual files (libs/*/src/*-example.ts, never on disk) through the default project
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['libs/*/src/*-example.ts'] }, tsconfigRootDir: __dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: true, attributes: false } }],
    },
  },
  {
    files: ['libs/canvas/src/**/*.ts', 'libs/cwrpo/src/**/*.ts', 'libs/contracts/src/**/*.ts', 'libs/workflows/src/**/*.ts'],
    ignores: ['**/*.test.ts', '**/test-support/**'],
    rules: { 'no-restricted-imports': ['error', forbiddenInPureCode] },
  },
  {
    files: [
      '**/*.test.ts',
      '**/test-support/**/*.ts',
      'apps/worker-e2e/**/*.ts',
      'jest/**/*.ts',
      'tools/**/*.ts',
      'bench/**/*.ts',
      'scripts/**/*.ts',
      'temporal/**/*.ts',
    ],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
);
