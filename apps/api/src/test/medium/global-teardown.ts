import type { EmbeddedPostgres } from '../../infra/database/embedded-postgres';

export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { __harbourTestServer?: EmbeddedPostgres }).__harbourTestServer;
  // The data folder lives in a temporary directory: remove it with the server.
  await server?.destroy();
}
