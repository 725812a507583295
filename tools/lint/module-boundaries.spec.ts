import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The dependency rules of docs/style.md §2 are enforced by lint. These tests prove the rules bite:
 * they write small probe files into each project, lint them with the real configuration in one
 * ESLint run, and delete them again.
 */
const root = resolve(__dirname, '../..');

interface Probe {
  readonly label: string;
  readonly file: string;
  readonly code: string;
  readonly expectRule: string | null;
}

const probes: Probe[] = [
  {
    label: '@nestjs/common in libs/domain',
    file: 'libs/domain/src/lib/lint-probe-1.ts',
    code: "import { Injectable } from '@nestjs/common';\nexport const probe = Injectable;\n",
    expectRule: '@nx/enforce-module-boundaries',
  },
  {
    label: 'typeorm in libs/domain',
    file: 'libs/domain/src/lib/lint-probe-2.ts',
    code: "import { Entity } from 'typeorm';\nexport const probe = Entity;\n",
    expectRule: '@nx/enforce-module-boundaries',
  },
  {
    label: '@angular/core in libs/domain',
    file: 'libs/domain/src/lib/lint-probe-3.ts',
    code: "import { signal } from '@angular/core';\nexport const probe = signal;\n",
    expectRule: '@nx/enforce-module-boundaries',
  },
  {
    label: '@harbour/crypto in libs/domain',
    file: 'libs/domain/src/lib/lint-probe-4.ts',
    code: "import { Sensitive } from '@harbour/crypto';\nexport const probe = Sensitive;\n",
    expectRule: '@nx/enforce-module-boundaries',
  },
  {
    label: '@nestjs/common in libs/crypto',
    file: 'libs/crypto/src/lib/lint-probe-5.ts',
    code: "import { Injectable } from '@nestjs/common';\nexport const probe = Injectable;\n",
    expectRule: '@nx/enforce-module-boundaries',
  },
  {
    label: '@harbour/crypto in the console',
    file: 'apps/console/src/app/lint-probe-6.ts',
    code: "import { Sensitive } from '@harbour/crypto';\nexport const probe = Sensitive;\n",
    expectRule: '@nx/enforce-module-boundaries',
  },
  {
    label: 'libsodium-wrappers in the console',
    file: 'apps/console/src/app/lint-probe-7.ts',
    code: "import sodium from 'libsodium-wrappers';\nexport const probe = sodium;\n",
    expectRule: '@nx/enforce-module-boundaries',
  },
  {
    label: '@nestjs/common in the console',
    file: 'apps/console/src/app/lint-probe-8.ts',
    code: "import { Injectable } from '@nestjs/common';\nexport const probe = Injectable;\n",
    expectRule: '@nx/enforce-module-boundaries',
  },
  {
    label: 'console.log in the API',
    file: 'apps/api/src/app/lint-probe-9.ts',
    code: "export function probe(): void {\n  console.log('x');\n}\n",
    expectRule: 'no-console',
  },
  {
    label: 'TypeORM synchronize: true in the API',
    file: 'apps/api/src/app/lint-probe-10.ts',
    code: 'export const options = { synchronize: true };\n',
    expectRule: 'no-restricted-syntax',
  },
  {
    label: 'a floating promise in the API',
    file: 'apps/api/src/app/lint-probe-11.ts',
    code: 'export function probe(): void {\n  Promise.resolve(1);\n}\n',
    expectRule: '@typescript-eslint/no-floating-promises',
  },
  {
    label: '@harbour/domain in the API (allowed)',
    file: 'apps/api/src/app/lint-probe-12.ts',
    code: "import { ROLES } from '@harbour/domain';\nexport const probe = ROLES;\n",
    expectRule: null,
  },
  {
    label: '@harbour/domain in the console (allowed)',
    file: 'apps/console/src/app/lint-probe-13.ts',
    code: "import { ROLES } from '@harbour/domain';\nexport const probe = ROLES;\n",
    expectRule: null,
  },
  {
    label: 'a feature importing another feature in the API',
    file: 'apps/api/src/app/health/lint-probe-14.ts',
    code: "import { PersonsModule } from '../persons/persons.module';\nexport const probe = PersonsModule;\n",
    expectRule: 'harbour/api-floors',
  },
  {
    label: 'infrastructure importing core in the API',
    file: 'apps/api/src/infra/http/lint-probe-15.ts',
    code: "import { Scope } from '../../core/scope/request-scope';\nexport const probe = Scope;\n",
    expectRule: 'harbour/api-floors',
  },
  {
    label: 'the data-access layer importing a feature',
    file: 'apps/api/src/data/lint-probe-16.ts',
    code: "import { HealthModule } from '../app/health/health.module';\nexport const probe = HealthModule;\n",
    expectRule: 'harbour/api-floors',
  },
  {
    label: 'a feature importing core and data (allowed)',
    file: 'apps/api/src/app/health/lint-probe-17.ts',
    code:
      "import { Scope } from '../../core/scope/request-scope';\n" +
      "import { statement } from '../../data/sql';\nexport const probe = [Scope, statement];\n",
    expectRule: null,
  },
  {
    label: 'SQL text in a feature',
    file: 'apps/api/src/app/health/lint-probe-18.ts',
    code: "export const probe = 'SELECT id FROM person WHERE organisation_id = $1';\n",
    expectRule: 'harbour/no-sql-outside-data',
  },
  {
    label: 'a raw query call in core',
    file: 'apps/api/src/core/scope/lint-probe-19.ts',
    code:
      "import type { EntityManager } from 'typeorm';\n" +
      'export async function probe(m: EntityManager): Promise<unknown> {\n  return await m.query(String(1));\n}\n',
    expectRule: 'harbour/no-sql-outside-data',
  },
  {
    label: 'SQL in the data-access layer (allowed)',
    file: 'apps/api/src/data/lint-probe-20.ts',
    code:
      "import { statement } from './sql';\n" +
      "export const probe = statement('probe.one', 'SELECT id FROM person WHERE id = :id');\n",
    expectRule: null,
  },
  {
    label: 'the API internal entry point in tools outside the benchmarks',
    file: 'tools/lint/lint-probe-21.ts',
    code: "import { AppModule } from '@harbour/api/internal';\nexport const probe = AppModule;\n",
    expectRule: 'no-restricted-imports',
  },
  {
    label: 'the API internal entry point in the console',
    file: 'apps/console/src/app/lint-probe-22.ts',
    code: "import { AppModule } from '@harbour/api/internal';\nexport const probe = AppModule;\n",
    expectRule: 'no-restricted-imports',
  },
  {
    label: 'the API internal entry point in a benchmark (allowed)',
    file: 'tools/bench/lib/lint-probe-23.ts',
    code: "import { AppModule } from '@harbour/api/internal';\nexport const probe = AppModule;\n",
    expectRule: null,
  },
  {
    label: 'the API by relative path from a benchmark',
    file: 'tools/bench/lib/lint-probe-24.ts',
    code:
      "import { AppModule } from '../../../apps/api/src/app/app.module';\n" +
      'export const probe = AppModule;\n',
    expectRule: '@nx/enforce-module-boundaries',
  },
];

interface LintResult {
  filePath: string;
  messages: { ruleId: string | null; severity: number; message: string }[];
}

describe('module boundaries and house rules in lint', () => {
  let results: Map<string, LintResult>;

  beforeAll(() => {
    const files = probes.map((p) => join(root, p.file));
    try {
      for (const probe of probes) {
        mkdirSync(dirname(join(root, probe.file)), { recursive: true });
        writeFileSync(join(root, probe.file), probe.code);
      }
      const run = spawnSync(
        join(root, 'node_modules/.bin/eslint'),
        ['--format', 'json', ...files],
        {
          cwd: root,
          encoding: 'utf8',
          env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
          maxBuffer: 64 * 1024 * 1024,
        },
      );
      const parsed = JSON.parse(run.stdout) as LintResult[];
      results = new Map(parsed.map((r) => [r.filePath, r]));
    } finally {
      for (const file of files) rmSync(file, { force: true });
    }
  }, 180_000);

  it.each(probes.map((p) => [p.label, p] as const))('%s', (_label, probe) => {
    const result = results.get(join(root, probe.file));
    expect(result).toBeDefined();
    const errors = result!.messages.filter((m) => m.severity === 2);
    if (probe.expectRule === null) {
      expect(errors).toEqual([]);
    } else {
      expect(errors.map((m) => m.ruleId)).toContain(probe.expectRule);
    }
  });
});
