// Medium tests: real PostgreSQL (embedded), one server per run, migrations applied once into a
// template database, one database per test file. `npm run test:medium`.
const { nodeProject } = require('./tools/jest/node-project.cjs');

/** @type {import('jest').Config} */
module.exports = {
  ...nodeProject({
    displayName: 'medium',
    roots: ['apps/api/src', 'migrations'],
    testMatch: ['**/*.medium-spec.ts'],
    globalSetup: '<rootDir>/apps/api/src/test/medium/global-setup.ts',
    globalTeardown: '<rootDir>/apps/api/src/test/medium/global-teardown.ts',
  }),
  testTimeout: 60_000,
};
