import { Client } from 'pg';

/**
 * The keyring database (docs/design.md §5 "Where keys live"): the wrapped material of every key
 * of every organisation — KEKs (wrapped by the master key), organisation data, index and audit
 * keys and person keys (wrapped by a KEK) — in a database of its own, so that a backup of the
 * data database holds ciphertext only and the keyring is backed up apart, with a short
 * retention. The data database keeps the catalogue (`organisation_key`: purpose, subject,
 * status and dates, no material).
 *
 * Every statement on it names the organisation; a row copied to another organisation, key id,
 * purpose or person fails to unwrap (the associated data binds each to all four).
 *
 * Versioned by `keyring_schema`; each step is idempotent and runs as the keyring's owner.
 */
export const KEYRING_SCHEMA: readonly { readonly version: number; readonly sql: string }[] = [
  {
    version: 1,
    sql: `
CREATE TABLE IF NOT EXISTS key_material (
  organisation_id uuid NOT NULL,
  key_id integer NOT NULL,
  purpose text NOT NULL,
  subject_id uuid,
  wrapping_key_id integer NOT NULL,
  wrapped_by text NOT NULL,
  wrapped bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT key_material_pkey PRIMARY KEY (organisation_id, key_id),
  CONSTRAINT key_material_id_range CHECK (key_id >= 1),
  CONSTRAINT key_material_purpose CHECK (purpose IN ('kek', 'organisation_data', 'person_data', 'index', 'audit')),
  CONSTRAINT key_material_subject CHECK ((purpose = 'person_data') = (subject_id IS NOT NULL)),
  CONSTRAINT key_material_envelope CHECK (octet_length(wrapped) >= 46 AND get_byte(wrapped, 0) = 1)
);
CREATE INDEX IF NOT EXISTS key_material_wrapping
  ON key_material (organisation_id, wrapping_key_id, key_id);
REVOKE ALL ON key_material FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON key_material TO harbour_api;`,
  },
];

/** The keyring's schema version this code writes. */
export const KEYRING_SCHEMA_VERSION = KEYRING_SCHEMA[KEYRING_SCHEMA.length - 1]!.version;

/**
 * The keyring database next to data database `dataUrl`: `HARBOUR_KEYRING_DATABASE_URL` (or, for
 * the owner, `HARBOUR_KEYRING_MIGRATION_URL`) when given, else the same server and role with
 * the database name suffixed `_keyring`.
 */
export function keyringUrlFor(dataUrl: string, override?: string): string {
  if (override !== undefined && override !== '') return override;
  const url = new URL(dataUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (name === '') throw new Error('the database URL names no database');
  url.pathname = `/${encodeURIComponent(`${name}_keyring`)}`;
  return url.toString();
}

/** Brings the keyring database's schema up to date; returns the versions applied. */
export async function ensureKeyringSchema(ownerUrl: string): Promise<number[]> {
  const client = new Client({ connectionString: ownerUrl, application_name: 'harbour-migrate' });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(1213418322)'); // one migrator at a time
    await client.query(
      `CREATE TABLE IF NOT EXISTS keyring_schema (
         version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const { rows } = await client.query<{ version: number }>('SELECT version FROM keyring_schema');
    const have = new Set(rows.map((r) => r.version));
    const applied: number[] = [];
    for (const step of KEYRING_SCHEMA) {
      if (have.has(step.version)) continue;
      await client.query(step.sql);
      await client.query('INSERT INTO keyring_schema (version) VALUES ($1)', [step.version]);
      applied.push(step.version);
    }
    await client.query('COMMIT');
    return applied;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
