// Browser end-to-end tests: the real `npm start` launcher, the built API and console, real
// PostgreSQL and Debian's Chromium driven by playwright-core. `npm run test:e2e` (after a build).
const { nodeProject } = require('../../tools/jest/node-project.cjs');

/** @type {import('jest').Config} */
module.exports = {
  ...nodeProject({
    displayName: 'e2e',
    roots: ['apps/console-e2e/src'],
    testMatch: ['**/*.e2e-spec.ts'],
  }),
  testTimeout: 120_000,
  maxWorkers: 1,
};
