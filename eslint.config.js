// @ts-check
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const reactHooks = require('eslint-plugin-react-hooks');
const prettier = require('eslint-config-prettier');

// The layering of ARCHITECTURE.md, enforced: dependencies point down only
// (channels -> services -> core, store; core imports nothing with I/O).
const botSdks = ['botbuilder', 'botbuilder-*', 'botframework-*', '@microsoft/teams-ai', '@microsoft/teams-ai/*'];
const sdkMessage = 'Only bot/src/channels/teams may import the Bot Framework / Teams AI SDKs (the one migration seam).';

// `paths` match exact module names; `patterns` are gitignore-style globs (a bare "http" would also
// match any relative path with an "http" segment, hence built-ins are listed as paths).
const restrict = (patterns, paths = []) => ['error', { patterns, paths }];
const nodeBuiltins = [
  'fs',
  'fs/promises',
  'http',
  'https',
  'net',
  'dns',
  'child_process',
  'crypto',
  'os',
  'path',
  'timers',
  'timers/promises',
  'worker_threads',
];
const pureMessage = 'The core is pure: no I/O, no SDKs. Take time and ids as parameters.';

/** A layer with no I/O (the core, the contracts): no SDKs, no node built-ins, nothing above it (and `extra`). */
const layersAbove = [
  '**/store',
  '**/store/**',
  '**/services',
  '**/services/**',
  '**/channels',
  '**/channels/**',
  '**/http',
  '**/http/**',
  '**/config',
  '**/main',
];
const pureLayer = (extra, aboveMessage, ioMessage) =>
  restrict(
    [
      { group: botSdks, message: sdkMessage },
      { group: ['restify', 'restify-*', '@azure/*', 'pino', 'pino-*', 'node:*'], message: ioMessage },
      { group: [...layersAbove, ...extra], message: aboveMessage },
    ],
    nodeBuiltins.map((name) => ({ name, message: ioMessage })),
  );
const contractsMessage = 'The contracts are shared with the tab and the widget: zod and the core only.';
const widgetMessage =
  'The widget bundle has no dependencies: of the server it takes only the contracts, as `import type`.';
// Storage knowledge has one home (STYLE.md): channels reach data through services only, and nothing
// outside bot/src/store writes a query or spells a partition key.
const storeModules = ['**/store', '**/store/**'];
const channelStoreMessage =
  'Channels do not use the store, not even its types: call a service (which may re-export a type it hands out).';
const storageMessage =
  'Queries and partition keys belong to bot/src/store: add a named repository method (store/repositories.ts), build scopes with store/partition-keys.ts.';
const scopePrefix = '/^(svc|usr|chat|wa|wf|teams|waconn|contact):/';
const literalsStartingWith = (prefix, message) => [
  { selector: `Literal[value=${prefix}]`, message },
  { selector: `TemplateElement[value.raw=${prefix}]`, message },
];
const storageSyntax = [
  'error',
  { selector: "CallExpression[callee.property.name='query']", message: storageMessage },
  ...literalsStartingWith(scopePrefix, storageMessage),
];
// Tests and scripts are held to the same key schemes, and to the timer ids of timerIds too. Not to the
// `.query(` selector: they call the repositories' named `query(tenantId, filter, scope)`, and nock's `.query()`.
const testStorageMessage =
  'Tests and scripts build partition keys and store ids with bot/src/store/partition-keys.ts (scopes, partitionKey, timerIds), as the product does.';
const timerIdPrefix = '/^(offer|maxq|rona|dist|final|customer-away):/';
const testStorageSyntax = [
  'error',
  ...literalsStartingWith(scopePrefix, testStorageMessage),
  ...literalsStartingWith(timerIdPrefix, testStorageMessage),
  // `${tenantId}|${scope}` or `${tenantId}|chat:…`: a partition key composed by hand (partitionKey).
  {
    selector: 'TemplateElement[value.raw=/^\\|($|(svc|usr|chat|wa|wf|teams|waconn|contact):|agents$|wa-inbound$)/]',
    message: testStorageMessage,
  },
];
// The tests of the key scheme itself, of raw journal documents, and of the lint rules spell keys on purpose.
const keySchemeTests = [
  'tests/unit/store/partition-keys.test.ts',
  'tests/unit/store/journal.test.ts',
  'tests/integration/store/journal-writer.test.ts',
  'tests/unit/layering.test.ts',
];

module.exports = tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'data/**',
      'widget/dist/**',
      'tab/dist/**',
      'test-results/**',
    ],
  },
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
      'no-restricted-imports': pureLayer(
        ['**/contracts', '**/contracts/**'],
        'The core depends on nothing above it.',
        pureMessage,
      ),
    },
  },
  {
    // The contract the server shares with the tab and the widget: as pure as the core, which it builds on.
    files: ['bot/src/contracts/**/*.ts'],
    rules: { 'no-restricted-imports': pureLayer([], contractsMessage, contractsMessage) },
  },
  {
    files: ['bot/src/store/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: botSdks, message: sdkMessage },
        {
          group: ['**/services', '**/services/**', '**/channels', '**/channels/**', '**/http', '**/http/**', 'restify'],
          message: 'The store sits below services and channels.',
        },
      ]),
    },
  },
  {
    files: ['bot/src/services/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: botSdks, message: sdkMessage },
        {
          group: ['**/channels', '**/channels/**', '**/http', '**/http/**', 'restify'],
          message: 'Services do not know about HTTP or channels.',
        },
      ]),
    },
  },
  {
    files: ['bot/src/channels/**/*.ts'],
    ignores: ['bot/src/channels/teams/**'],
    rules: {
      'no-restricted-imports': restrict([
        { group: botSdks, message: sdkMessage },
        { group: storeModules, message: channelStoreMessage },
      ]),
    },
  },
  {
    files: ['bot/src/channels/teams/**/*.ts'],
    rules: { 'no-restricted-imports': restrict([{ group: storeModules, message: channelStoreMessage }]) },
  },
  {
    files: ['bot/src/**/*.ts'],
    ignores: ['bot/src/store/**'],
    rules: { 'no-restricted-syntax': storageSyntax },
  },
  {
    files: ['tests/**/*.ts', 'tests/**/*.tsx', 'scripts/**/*.ts'],
    ignores: keySchemeTests,
    rules: { 'no-restricted-syntax': testStorageSyntax },
  },
  {
    // The tab runs in the browser: no Node built-ins, and only the pure core of the server and the contracts.
    files: ['tab/src/**/*.ts', 'tab/src/**/*.tsx'],
    rules: {
      'no-restricted-imports': restrict(
        [
          { group: ['node:*'], message: 'The tab runs in a browser.' },
          {
            group: [
              '**/bot/src/*',
              '!**/bot/src/core',
              '**/bot/src/core/../*',
              '!**/bot/src/contracts',
              '**/bot/src/contracts/../*',
            ],
            message: 'The tab may share only the pure core of the server and its contracts.',
          },
        ],
        nodeBuiltins.map((name) => ({ name, message: 'The tab runs in a browser.' })),
      ),
    },
  },
  {
    // The widget is the customer's bundle, small and without dependencies: of the server it takes only
    // the contracts' types (`import type`, erased from the bundle), and no zod.
    files: ['widget/src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/bot/src/*', '!**/bot/src/contracts', '**/bot/src/contracts/../*'], message: widgetMessage },
            {
              group: ['**/bot/src/contracts', '**/bot/src/contracts/**'],
              allowTypeImports: true,
              message: widgetMessage,
            },
            { group: ['zod', 'zod/*', 'node:*'], message: widgetMessage },
          ],
          paths: nodeBuiltins.map((name) => ({ name, message: widgetMessage })),
        },
      ],
    },
  },
  {
    // Hooks in the order React requires, with every dependency an effect or memo reads.
    files: ['tab/src/**/*.tsx', 'tab/src/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  // Formatting is Prettier's (checked by `npm run lint`), so no lint rule argues with it.
  prettier,
  {
    files: ['eslint.config.js', 'jest.config.js', 'tests/summary-reporter.js'],
    languageOptions: {
      globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
