// Shared settings for the Node-side Jest projects (libs, API, tools).
const { resolve } = require('node:path');

const root = resolve(__dirname, '../..');

/** @returns {import('jest').Config} */
function nodeProject({ displayName, roots, testMatch, ...rest }) {
  return {
    displayName,
    rootDir: root,
    roots: roots.map((r) => `<rootDir>/${r}`),
    testMatch,
    testEnvironment: 'node',
    transform: { '^.+\\.[tj]s$': require('./swc.cjs') },
    moduleFileExtensions: ['ts', 'js', 'json'],
    moduleNameMapper: {
      '^@harbour/domain$': '<rootDir>/libs/domain/src/index.ts',
      '^@harbour/domain/testing$': '<rootDir>/libs/domain/src/testing/index.ts',
      '^@harbour/crypto$': '<rootDir>/libs/crypto/src/index.ts',
      '^@harbour/migrations$': '<rootDir>/migrations/index.ts',
    },
    ...rest,
  };
}

module.exports = { nodeProject, root };
