import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { HarbourCrypto } from '@harbour/crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import {
  AccessLog,
  AppModule,
  AuditVerifier,
  CLUSTER_ENV,
  createLogger,
  createTestDatabase,
  Db,
  HARBOUR_CRYPTO,
  KeyringService,
  loadConfig,
  NestPinoLogger,
  OrganisationProvisioning,
  startTestCluster,
  type EmbeddedPostgres,
  type TestDatabase,
} from '@harbour/api/internal';
import { repoRoot } from '../crypto/versions';

/**
 * The benchmark's world: a throw-away embedded PostgreSQL (durability off, exactly as the
 * medium tests start it: `startTestCluster`), a database cloned from the migrated template
 * (`createTestDatabase`), and the real Nest application context (`AppModule`) connected as the
 * non-owner application role, so row-level security and the append-only grants apply.
 */
export interface AuditBenchEnvironment {
  readonly app: INestApplicationContext;
  readonly database: TestDatabase;
  readonly accessLog: AccessLog;
  readonly verifier: AuditVerifier;
  readonly organisations: OrganisationProvisioning;
  readonly keyring: KeyringService;
  readonly crypto: HarbourCrypto;
  readonly db: Db;
  readonly dataSource: DataSource;
  /** PostgreSQL's `server_version`. */
  readonly postgresVersion: string;
  /** The cluster's data folder (where `postmaster.pid` names the server's process). */
  readonly postgresDataDir: string;
  /** Runs one statement as the superuser on the benchmark database. */
  asSuperuser<R>(sql: string, params?: unknown[]): Promise<R[]>;
}

export interface Cleanup {
  /** Idempotent; never throws. */
  run(): Promise<void>;
}

/**
 * Starts everything. `cleanup` is filled as resources come up, so the caller can tear down
 * whatever exists even when start-up fails half-way.
 */
export async function startEnvironment(
  log: (line: string) => void,
  cleanup: { add(step: () => Promise<void>): void },
  options: { settings?: Readonly<Record<string, string>> } = {},
): Promise<AuditBenchEnvironment> {
  log('starting a throw-away embedded PostgreSQL (durability off) and migrating the template');
  let server: EmbeddedPostgres | null = null;
  cleanup.add(async () => {
    if (server === null) return;
    log('removing the embedded PostgreSQL cluster');
    await server.destroy();
    // destroy() removes <mkdtemp>/postgres; remove the temporary folder startTestCluster made too.
    const folder = dirname(dirname(server.logFile));
    if (basename(folder).startsWith('harbour-test-pg-'))
      rmSync(folder, { recursive: true, force: true });
  });
  const started = await startTestCluster({ settings: options.settings });
  server = started.server;
  // createTestDatabase() finds the cluster the way medium-test workers do.
  process.env[CLUSTER_ENV] = JSON.stringify(started.info);
  const database = await createTestDatabase();

  const config = loadConfig(
    {
      NODE_ENV: 'production',
      DATABASE_URL: database.appUrl,
      HARBOUR_MIGRATE_ON_START: 'false',
      HARBOUR_SEED_DEMO: 'false',
      HARBOUR_MASTER_KEY: randomBytes(32).toString('base64'),
      HARBOUR_CONSOLE_DIR: 'none',
      HARBOUR_AUDIT_WITNESS_DIR: 'none',
      LOG_LEVEL: 'warn',
    },
    repoRoot,
  );
  // Warnings and errors of the application go to stderr with the progress lines.
  const logger = createLogger(config.logLevel, {
    write: (line: string) => void process.stderr.write(line),
  });
  log('building the Nest application context (AppModule)');
  const app = await NestFactory.createApplicationContext(
    // Benchmarks measure request paths: no background job polls beside them.
    AppModule.forRoot({ config, databaseUrl: database.appUrl, logger, workJobs: false }),
    { logger: new NestPinoLogger(logger) },
  );
  cleanup.add(async () => {
    await app.close();
  });

  const asSuperuser = async <R>(sql: string, params: unknown[] = []): Promise<R[]> => {
    const client = new Client({ connectionString: database.superuserUrl });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as R[];
    } finally {
      await client.end();
    }
  };
  const [{ server_version: postgresVersion } = { server_version: 'unknown' }] = await asSuperuser<{
    server_version: string;
  }>('SHOW server_version');

  return {
    app,
    database,
    accessLog: app.get(AccessLog),
    verifier: app.get(AuditVerifier),
    organisations: app.get(OrganisationProvisioning),
    keyring: app.get(KeyringService),
    crypto: app.get<HarbourCrypto>(HARBOUR_CRYPTO),
    db: app.get(Db),
    dataSource: app.get(DataSource),
    postgresVersion,
    postgresDataDir: started.server.dataDir,
    asSuperuser,
  };
}

/**
 * Cleanup steps run in reverse order of registration, once (later calls wait for the same run),
 * errors reported, not thrown.
 */
export function cleanupStack(log: (line: string) => void): Cleanup & {
  add(step: () => Promise<void>): void;
} {
  const steps: (() => Promise<void>)[] = [];
  let running: Promise<void> | null = null;
  const runAll = async (): Promise<void> => {
    for (const step of steps.reverse()) {
      try {
        await step();
      } catch (error) {
        log(`cleanup step failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };
  return {
    add: (step) => void steps.push(step),
    // A second caller (the signal handler, then the failing main flow) waits for the same run.
    run: () => (running ??= runAll()),
  };
}
