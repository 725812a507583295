/** The PostgreSQL superuser, and the system user the server runs as when Harbour is root. */
export const SUPERUSER = 'postgres';

/** Preparing, starting or stopping the embedded server failed; the message says which. */
export class EmbeddedPostgresError extends Error {
  override readonly name = 'EmbeddedPostgresError';
}
