import type { Config } from 'jest';

/**
 * Unit tests of the console: jsdom, zoneless Angular (see src/test-setup.ts), `*.spec.ts` beside
 * the code. Self-contained (its own rootDir and displayName) so that the root configuration can
 * list it as one of several projects. The preset compiles with `<rootDir>/tsconfig.spec.json`.
 */
const config: Config = {
  displayName: 'console',
  preset: 'jest-preset-angular',
  rootDir: '.',
  roots: ['<rootDir>/src'],
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  setupFilesAfterEnv: ['<rootDir>/src/test-setup.ts'],
  moduleNameMapper: {
    '^@harbour/domain$': '<rootDir>/../../libs/domain/src/index.ts',
  },
  // The preset compiles `.mjs` from node_modules; @jsverse/utils ships ESM as `index.esm.js`.
  transformIgnorePatterns: [
    'node_modules/(?!(.*\\.mjs$|@angular/common/locales/.*\\.js$|@jsverse/utils/))',
  ],
  clearMocks: true,
  restoreMocks: true,
};

export default config;
