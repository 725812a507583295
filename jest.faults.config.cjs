// Fault tests: real processes on loopback (an embedded PostgreSQL the test can `kill -9`, the
// BUILT API as a child process). `npm run test:faults` builds the API first.
const { nodeProject } = require('./tools/jest/node-project.cjs');

/** @type {import('jest').Config} */
module.exports = {
  ...nodeProject({
    displayName: 'faults',
    roots: ['apps/api/src'],
    testMatch: ['**/*.faults-spec.ts'],
    globalSetup: '<rootDir>/apps/api/src/test/faults/global-setup.ts',
    globalTeardown: '<rootDir>/apps/api/src/test/faults/global-teardown.ts',
  }),
  testTimeout: 120_000,
  // Each file runs its own database and API processes; one at a time on a shared machine.
  maxWorkers: 1,
};
