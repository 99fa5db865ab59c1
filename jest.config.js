/** Jest in native ESM mode: Nest 12 is ESM-only (see ARCHITECTURE.md, "Packaging"). */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  // The test apps (test/apps/*) run their own Jest or vitest from their own install (test/apps/run.mjs).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/apps/'],
  modulePathIgnorePatterns: ['<rootDir>/test/apps/'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    // The sample imports the package by name, as users do; in tests that name is the library's source.
    '^nestjs-background-tasks$': '<rootDir>/lib/index.ts',
    '^nestjs-background-tasks/testing$': '<rootDir>/lib/testing/index.ts',
    '^nestjs-background-tasks/threads$': '<rootDir>/lib/threads/index.ts',
    // A worker thread cannot load lib/'s TypeScript: the pool's threads run the built worker entry.
    '^\\./thread-worker\\.location\\.js$': '<rootDir>/test/support/thread-worker.location.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.json', diagnostics: { warnOnly: false } }],
  },
  testTimeout: 30000,
  // The durable-mode suites run a real redis-server: say so at once when it is missing.
  globalSetup: '<rootDir>/test/support/require-redis-server.ts',
  // TEST_REQUEST_SCOPED=false runs every suite with forRoot({ requestScoped: false }).
  setupFiles: ['<rootDir>/test/support/request-scope-mode.ts'],
};
