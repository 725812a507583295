// Unit tests: fast, no database, no browser. `npm run test:unit`.
const { nodeProject } = require('./tools/jest/node-project.cjs');

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    nodeProject({ displayName: 'domain', roots: ['libs/domain/src'], testMatch: ['**/*.spec.ts'] }),
    nodeProject({ displayName: 'crypto', roots: ['libs/crypto/src'], testMatch: ['**/*.spec.ts'] }),
    nodeProject({
      displayName: 'api',
      roots: ['apps/api/src', 'migrations'],
      testMatch: ['**/*.spec.ts'],
    }),
    // The e2e helpers' own unit tests (e.g. the history checker) run with the tools.
    nodeProject({
      displayName: 'tools',
      roots: ['tools', 'apps/console-e2e/src/support'],
      testMatch: ['**/*.spec.ts'],
    }),
    '<rootDir>/apps/console/jest.config.ts',
  ],
};
