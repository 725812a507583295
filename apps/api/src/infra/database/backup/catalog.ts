import type { ClientBase } from 'pg';

/**
 * Catalog reads of the backup engine: the ordinary tables of schema `public` and the columns
 * COPY moves. Other schemas (the job runner's `pgboss`: transient jobs) are not backed up.
 */
export async function userTables(client: ClientBase): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname`,
  );
  return rows.map((r) => r.name);
}

/** The columns of `table` in order, without generated ones (COPY cannot load those). */
export async function copyColumns(client: ClientBase, table: string): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT a.attname AS name FROM pg_attribute a
      WHERE a.attrelid = format('public.%I', $1::text)::regclass
        AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
      ORDER BY a.attnum`,
    [table],
  );
  return rows.map((r) => r.name);
}

/** A double-quoted identifier (names come from the catalog or a checked manifest). */
export function quoteName(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
