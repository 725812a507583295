import { rmSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { EmbeddedPostgres } from '../../infra/database/embedded-postgres';

export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { __harbourTestServer?: EmbeddedPostgres }).__harbourTestServer;
  if (server === undefined) return;
  // The data folder lives in a temporary directory: remove it with the server, and the
  // temporary directory startTestCluster made around it.
  await server.destroy();
  removeTestClusterFolder(server);
}

/** Removes the `harbour-test-pg-*` folder `startTestCluster` created (never anything else). */
export function removeTestClusterFolder(server: EmbeddedPostgres): void {
  const folder = dirname(dirname(server.dataDir));
  if (basename(folder).startsWith('harbour-test-pg-')) {
    rmSync(folder, { recursive: true, force: true });
  }
}
