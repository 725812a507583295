// ESLint flat config for the whole workspace. `npm run lint` runs it with --max-warnings 0.
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import angular from 'angular-eslint';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { createProjectGraphAsync } from '@nx/devkit';
import harbour from './tools/lint/harbour-plugin.mjs';

// @nx/enforce-module-boundaries reads Nx's cached project graph and silently skips itself when
// there is none (a fresh clone). Build the graph first, so the rule always runs.
await createProjectGraphAsync({ exitOnError: true });

const TS = ['**/*.ts'];

/** Imports a project type may never use (docs/style.md §2), besides the tag constraints below. */
const DOMAIN_BANNED = [
  'typeorm',
  '@nestjs/*',
  '@angular/*',
  'class-validator',
  'class-transformer',
];
const CONSOLE_BANNED = ['@nestjs/*', 'typeorm', 'argon2', 'libsodium-wrappers', 'pg', 'node:*'];
const CRYPTO_BANNED = ['typeorm', '@nestjs/*', '@angular/*', 'class-validator', 'pg'];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/tmp/**',
      '**/coverage/**',
      '**/.nx/**',
      '**/.angular/**',
      '**/.harbour/**',
      'bench-results/**',
    ],
  },
  js.configs.recommended,
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: globals.node },
  },
  {
    files: TS,
    extends: [...tseslint.configs.recommendedTypeChecked, ...tseslint.configs.stylisticTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          // The API's internal entry point, for benchmarks only (see the block below).
          allow: ['@harbour/api/internal'],
          banTransitiveDependencies: true,
          checkDynamicDependenciesExceptions: [],
          depConstraints: [
            {
              sourceTag: 'type:domain',
              onlyDependOnLibsWithTags: [],
              bannedExternalImports: DOMAIN_BANNED,
            },
            {
              sourceTag: 'type:crypto',
              onlyDependOnLibsWithTags: ['type:domain'],
              bannedExternalImports: CRYPTO_BANNED,
            },
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: ['type:domain', 'type:crypto', 'type:migrations'],
            },
            { sourceTag: 'type:migrations', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'scope:console', notDependOnLibsWithTags: ['scope:api'] },
            { allSourceTags: ['scope:console', 'type:app'], bannedExternalImports: CONSOLE_BANNED },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:domain', 'type:crypto'] },
            { sourceTag: 'type:tooling', onlyDependOnLibsWithTags: ['type:domain'] },
            { sourceTag: 'type:bench', onlyDependOnLibsWithTags: ['type:domain', 'type:crypto'] },
            { sourceTag: 'scope:api', notDependOnLibsWithTags: ['scope:console'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
          ],
        },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
      // TypeScript's noPropertyAccessFromIndexSignature decides between dot and bracket access.
      '@typescript-eslint/dot-notation': 'off',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-import-type-side-effects': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/consistent-type-definitions': 'off',
      '@typescript-eslint/prefer-nullish-coalescing': 'error',
      '@typescript-eslint/no-non-null-assertion': 'off',
      eqeqeq: ['error', 'always'],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'Property[key.name="synchronize"][value.value=true]',
          message: 'Never synchronize: schema changes go through migrations.',
        },
      ],
    },
  },
  {
    // `@harbour/api/internal` (apps/api/src/test/internal.ts) is for benchmarks only: the
    // module-boundary rule lets it through, so everything else is refused here.
    files: TS,
    ignores: ['tools/bench/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@harbour/api/internal',
              message: 'The API internal entry point is for benchmarks (tools/bench) only.',
            },
          ],
        },
      ],
    },
  },
  {
    // Nest and TypeORM inject by emitted constructor types: those imports must stay values.
    files: ['apps/api/**/*.ts'],
    plugins: { harbour },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'off',
      'no-console': 'error',
      // The API's floors and its data-access layer (tools/lint/harbour-plugin.mjs).
      'harbour/api-floors': 'error',
      'harbour/no-sql-outside-data': 'error',
    },
  },
  {
    files: ['apps/console/**/*.ts'],
    extends: [...angular.configs.tsRecommended],
    processor: angular.processInlineTemplates,
    rules: {
      '@angular-eslint/component-selector': [
        'error',
        { type: 'element', prefix: 'app', style: 'kebab-case' },
      ],
      '@angular-eslint/directive-selector': [
        'error',
        { type: 'attribute', prefix: 'app', style: 'camelCase' },
      ],
      '@angular-eslint/prefer-on-push-component-change-detection': 'error',
      'no-console': 'error',
    },
  },
  {
    files: ['apps/console/**/*.html'],
    extends: [...angular.configs.templateRecommended, ...angular.configs.templateAccessibility],
  },
  {
    files: ['**/*.spec.ts', '**/*.medium-spec.ts', '**/*.e2e-spec.ts', '**/test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
      // Response bodies from supertest and parsed JSON are untyped by nature.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
);
