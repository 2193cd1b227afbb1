// @ts-check
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

// The layering of ARCHITECTURE.md, enforced: dependencies point down only
// (channels -> services -> core, store; core imports nothing with I/O).
const botSdks = ['botbuilder', 'botbuilder-*', 'botframework-*', '@microsoft/teams-ai', '@microsoft/teams-ai/*'];
const sdkMessage = 'Only bot/src/channels/teams may import the Bot Framework / Teams AI SDKs (the one migration seam).';

// `paths` match exact module names; `patterns` are gitignore-style globs (a bare "http" would also
// match any relative path with an "http" segment, hence built-ins are listed as paths).
const restrict = (patterns, paths = []) => ['error', { patterns, paths }];
const nodeBuiltins = ['fs', 'fs/promises', 'http', 'https', 'net', 'dns', 'child_process', 'crypto', 'os', 'path', 'timers', 'timers/promises', 'worker_threads'];
const pureMessage = 'The core is pure: no I/O, no SDKs. Take time and ids as parameters.';

module.exports = tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**', 'widget/dist/**', 'tab/dist/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    files: ['bot/src/**/*.ts'],
    ignores: ['bot/src/channels/teams/**'],
    rules: {
      'no-restricted-imports': restrict([{ group: botSdks, message: sdkMessage }]),
    },
  },
  {
    files: ['bot/src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: botSdks, message: sdkMessage },
        { group: ['restify', 'restify-*', '@azure/*', 'pino', 'pino-*', 'node:*'], message: pureMessage },
        {
          group: ['**/store', '**/store/**', '**/services', '**/services/**', '**/channels', '**/channels/**', '**/http', '**/http/**', '**/config', '**/main'],
          message: 'The core depends on nothing above it.',
        },
      ], nodeBuiltins.map((name) => ({ name, message: pureMessage }))),
    },
  },
  {
    files: ['bot/src/store/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: botSdks, message: sdkMessage },
        { group: ['**/services', '**/services/**', '**/channels', '**/channels/**', '**/http', '**/http/**', 'restify'], message: 'The store sits below services and channels.' },
      ]),
    },
  },
  {
    files: ['bot/src/services/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: botSdks, message: sdkMessage },
        { group: ['**/channels', '**/channels/**', '**/http', '**/http/**', 'restify'], message: 'Services do not know about HTTP or channels.' },
      ]),
    },
  },
  {
    // The tab runs in the browser: no Node built-ins, and only the pure core of the server.
    files: ['tab/src/**/*.ts', 'tab/src/**/*.tsx'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['node:*'], message: 'The tab runs in a browser.' },
        { group: ['**/bot/src/*', '!**/bot/src/core', '**/bot/src/core/../*'], message: 'The tab may share only the pure core of the server.' },
      ], nodeBuiltins.map((name) => ({ name, message: 'The tab runs in a browser.' }))),
    },
  },
  {
    files: ['eslint.config.js', 'jest.config.js', 'tests/summary-reporter.js'],
    languageOptions: { globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
