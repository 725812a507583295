import type { Server } from 'node:http';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from 'pino';
import { loadMasterKey } from '@harbour/crypto';
import { AuthenticateAuditHead1795563000000, MIGRATIONS } from '@harbour/migrations';
import { AppModule } from './app/app.module';
import { AccessLog } from './app/audit/access-log.service';
import { backdateDemoRecords, DemoSeeder, writeDemoCredentials } from './app/seed/demo-seed';
import { lockAndCountOrganisations } from './data/seed/demo-owner-statements';
import type { HarbourConfig } from './infra/config/config';
import { openDatabaseEndpoint, type DatabaseEndpoint } from './infra/database/database-endpoint';
import { runMigrations } from './infra/database/data-source';
import { configureApp } from './infra/http/configure-app';
import { NestPinoLogger } from './infra/logging/logger';
import { organisationsWithUnauthenticatedHeads } from './infra/database/owner-queries';

/** Builds the Nest application on a given database URL (app role). Used by `main` and tests. */
export async function createApp(
  config: HarbourConfig,
  databaseUrl: string,
  logger: Logger,
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot({ config, databaseUrl, logger }),
    { logger: new NestPinoLogger(logger), bodyParser: false, abortOnError: false },
  );
  configureApp(app, config, logger);
  return app;
}

export interface RunningHarbour {
  readonly url: string;
  readonly app: NestExpressApplication;
  readonly database: DatabaseEndpoint;
  /**
   * Stops accepting connections and lets the requests in flight finish (up to
   * `DRAIN_TIMEOUT_MS`), then closes the app and its pools, then stops the embedded database if
   * this process started it.
   */
  close(): Promise<void>;
}

/**
 * Everything `npm start` does after the build: database (embedded or configured), migrations,
 * master key, demo data, then the HTTP server on one port for API and console.
 */
export async function startHarbour(config: HarbourConfig, logger: Logger): Promise<RunningHarbour> {
  const database = await openDatabaseEndpoint(config, (message) => logger.info(message));
  let app: NestExpressApplication | null = null;
  try {
    let applied: string[] = [];
    if (config.migrateOnStart) {
      if (database.ownerUrl === null) throw new Error('migrations need the owner role');
      applied = await runMigrations(database.ownerUrl, MIGRATIONS);
      logger.info({ applied }, applied.length > 0 ? 'migrations applied' : 'schema is up to date');
    }

    const masterKey = loadMasterKey(config.masterKey, config.env);
    if (masterKey.created) {
      logger.warn('created a development master key (never used in production)');
    }

    app = await createApp(config, database.appUrl, logger);
    if (database.ownerUrl !== null && adoptsLegacyAuditHeads(applied)) {
      await app.init();
      await adoptLegacyAuditHeads(app.get(AccessLog), database.ownerUrl, logger);
    }
    if (config.seedDemo && database.ownerUrl !== null) {
      await seedDemoData(app, database.ownerUrl, config.dataDir, logger);
    }
    await app.listen(config.http.port, config.http.host);
    const address = app.getHttpServer().address();
    const port = typeof address === 'object' && address !== null ? address.port : config.http.port;
    const host = ['0.0.0.0', '::', '127.0.0.1', '::1'].includes(config.http.host)
      ? 'localhost'
      : config.http.host;
    const url = `http://${host}:${port}/`;
    const running = app;
    return {
      url,
      app: running,
      database,
      close: async () => {
        // Nest's own close runs the modules' destroy hooks (the pools close) before it closes
        // the HTTP server, which would fail the requests still in flight: drain them first.
        await drainHttp(running.getHttpServer(), DRAIN_TIMEOUT_MS);
        await running.close();
        await database.close();
      },
    };
  } catch (error) {
    await app?.close().catch(() => undefined);
    await database.close();
    throw error;
  }
}

/** How long a shutdown waits for the requests in flight before cutting their connections. */
export const DRAIN_TIMEOUT_MS = 10_000;

/**
 * Stops listening (new connections are refused), closes idle keep-alive connections as they
 * become idle, and resolves once every request in flight has been answered, or after
 * `timeoutMs`, when the remaining connections are cut.
 */
export async function drainHttp(server: Server, timeoutMs: number): Promise<void> {
  if (!server.listening) return;
  await new Promise<void>((resolve) => {
    const idle = setInterval(() => server.closeIdleConnections(), 50);
    const cut = setTimeout(() => server.closeAllConnections(), timeoutMs);
    server.close(() => {
      clearInterval(idle);
      clearTimeout(cut);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/**
 * Whether this start applied the migration that authenticates access-log heads: only then are
 * heads without a MAC (written before it) adopted. At any other time a head without a MAC is
 * one whose MAC was removed, and the writer refuses it.
 */
export function adoptsLegacyAuditHeads(applied: readonly string[]): boolean {
  return applied.includes(new AuthenticateAuditHead1795563000000().name);
}

async function adoptLegacyAuditHeads(
  log: AccessLog,
  ownerUrl: string,
  logger: Logger,
): Promise<void> {
  const organisations = await organisationsWithUnauthenticatedHeads(ownerUrl);
  for (const organisationId of organisations) {
    const adopted = await log.adoptLegacyHead(organisationId);
    logger.info({ organisationId, adopted }, 'access-log head from before head authentication');
  }
}

/** Development only: demo organisations and logins when the database has no organisation yet. */
async function seedDemoData(
  app: NestExpressApplication,
  ownerUrl: string,
  dataDir: string,
  logger: Logger,
): Promise<void> {
  const { count, query, release } = await lockAndCountOrganisations(ownerUrl);
  try {
    if (count > 0) {
      logger.info({ organisations: count }, 'existing data kept');
      return;
    }
    await app.init();
    const seeder = app.get(DemoSeeder);
    const logins = await seeder.seed();
    await backdateDemoRecords(query, seeder.timeline);
    const file = writeDemoCredentials(dataDir, logins);
    logger.info({ users: logins.length, credentials: file }, 'seeded the demo organisations');
  } finally {
    await release();
  }
}
