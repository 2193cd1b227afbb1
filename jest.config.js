/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // Transpile only: `npm run typecheck` does the type checking once for the whole project.
    '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }],
  },
  // Integration tests start servers and child processes; two workers fit the 2-core machines.
  maxWorkers: 2,
  // Each test file builds a whole server; what a file leaves reachable (module graphs held by SDK globals)
  // adds up over a worker's life until its heap runs out and the worker dies mid-suite. A worker that
  // grew past this between files is replaced by a fresh one.
  workerIdleMemoryLimit: '1GB',
  globalSetup: '<rootDir>/tests/global-setup.ts',
  reporters: ['default', '<rootDir>/tests/summary-reporter.js'],
  testTimeout: 30000,
};
