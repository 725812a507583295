import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIGRATIONS } from '@harbour/migrations';
import {
  bootstrapCluster,
  type ClusterLayout,
  type RolePasswords,
} from '../../infra/database/bootstrap';
import { runMigrations } from '../../infra/database/data-source';
import { connectionUrl, EmbeddedPostgres } from '../../infra/database/embedded-postgres';

/** What the test workers need to reach the shared medium-test server. */
export interface TestClusterInfo {
  readonly port: number;
  readonly superuserPassword: string;
  readonly passwords: RolePasswords;
  readonly layout: ClusterLayout;
  readonly logFile: string;
}

export { CLUSTER_ENV } from './cluster-env';
export const TEMPLATE_DATABASE = 'harbour_template';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a throw-away embedded server (durability off: it is deleted afterwards), creates the
 * Harbour roles, and migrates the template database every test file is cloned from.
 */
export async function startTestCluster(
  options: { settings?: Readonly<Record<string, string>> } = {},
): Promise<{
  server: EmbeddedPostgres;
  info: TestClusterInfo;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'harbour-test-pg-'));
  const server = new EmbeddedPostgres({
    dir: join(dir, 'postgres'),
    port: await freePort(),
    durability: 'none',
    settings: options.settings,
  });
  await server.start();
  const layout: ClusterLayout = {
    database: TEMPLATE_DATABASE,
    ownerRole: 'harbour_owner',
    appRole: 'harbour_app',
  };
  const passwords: RolePasswords = {
    owner: randomBytes(18).toString('base64url'),
    app: randomBytes(18).toString('base64url'),
  };
  await bootstrapCluster((db) => server.superuserUrl(db), layout, passwords);
  await runMigrations(
    connectionUrl(layout.ownerRole, passwords.owner, server.port, TEMPLATE_DATABASE),
    MIGRATIONS,
  );
  return {
    server,
    info: {
      port: server.port,
      superuserPassword: server.superuserPassword,
      passwords,
      layout,
      logFile: server.logFile,
    },
  };
}
