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
    nodeProject({ displayName: 'tools', roots: ['tools'], testMatch: ['**/*.spec.ts'] }),
    '<rootDir>/apps/console/jest.config.ts',
  ],
};
