import type { TestDatabase } from '../medium/test-database';

/**
 * What the database holds, to show that refused requests change nothing: a hash of every row of
 * every table (read as the superuser, past row-level security), and the access log's length per
 * organisation (the log is append-only; the rows before that length are hashed with the rest).
 */
export interface Fingerprint {
  /** `schema.table` → md5 of its rows in a fixed order, and how many. */
  readonly tables: ReadonlyMap<string, { readonly hash: string; readonly rows: number }>;
  /** Organisation → highest access-log sequence number. */
  readonly logEnds: ReadonlyMap<string, string>;
}

/** Tables a refused request may legitimately change, and why. */
export const REFUSALS_MAY_CHANGE: Readonly<Record<string, string>> = {
  'public.access_event':
    'a refusal is itself recorded (outcome `denied` or `failure`); rows already there must not change',
  'public.audit_checkpoint':
    'the access log is checkpointed every 1,000 events as it grows (signed tree heads, only added)',
  'public.audit_log_state': "the access log's head (its length and root), moved by those appends",
  'public.login_throttle': 'failed sign-ins are counted per account and address (docs/security.md)',
};

/**
 * Columns left out of a table's hash, and why: the rest of the row is compared (so a session
 * created, revoked or stepped up by a refused request is still caught).
 */
export const VOLATILE_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  // A session's last-seen and idle expiry move on every request it makes, and wrong
  // second-factor codes are counted on it.
  'public.staff_session': ['last_seen_at', 'idle_expires_at', 'mfa_failures'],
};

export async function fingerprint(db: TestDatabase): Promise<Fingerprint> {
  const tables = await db.asSuperuser<{ schema: string; name: string }>(
    `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
      ORDER BY 1, 2`,
  );
  const out = new Map<string, { hash: string; rows: number }>();
  const parts = tables.map(({ schema, name }) => {
    const volatile = VOLATILE_COLUMNS[`${schema}.${name}`];
    const row =
      volatile === undefined
        ? 't::text'
        : `(to_jsonb(t) - ARRAY[${volatile.map((c) => `'${c}'`).join(', ')}])::text`;
    return `SELECT '${schema}.${name}' AS name, count(*)::int AS rows,
              md5(coalesce(string_agg(${row}, E'\\n' ORDER BY ${row}), '')) AS hash
         FROM "${schema}"."${name}" t`;
  });
  for (const row of await db.asSuperuser<{ name: string; rows: number; hash: string }>(
    parts.join('\nUNION ALL\n'),
  ))
    out.set(row.name, { hash: row.hash, rows: row.rows });
  const ends = await db.asSuperuser<{ organisation_id: string; seq: string }>(
    `SELECT organisation_id, max(seq)::text AS seq FROM access_event GROUP BY organisation_id`,
  );
  return { tables: out, logEnds: new Map(ends.map((r) => [r.organisation_id, r.seq])) };
}

/** The access-log rows that existed at `before`, hashed in order (they must never change). */
export async function logPrefixHash(db: TestDatabase, before: Fingerprint): Promise<string> {
  const orgs = [...before.logEnds.keys()];
  const rows = await db.asSuperuser<{ hash: string }>(
    `SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t.organisation_id, t.seq), '')) AS hash
       FROM access_event t
       JOIN unnest($1::uuid[], $2::bigint[]) AS e(org, last) ON e.org = t.organisation_id
      WHERE t.seq <= e.last`,
    [orgs, orgs.map((org) => before.logEnds.get(org))],
  );
  return rows[0]!.hash;
}

/** The access-log rows appended after `before`: their outcome and action, counted. */
export async function logAppends(
  db: TestDatabase,
  before: Fingerprint,
): Promise<{ outcome: string; action: string; n: number }[]> {
  const orgs = [...before.logEnds.keys()];
  return db.asSuperuser(
    `SELECT t.outcome, t.action, count(*)::int AS n
       FROM access_event t
       LEFT JOIN unnest($1::uuid[], $2::bigint[]) AS e(org, last) ON e.org = t.organisation_id
      WHERE t.seq > coalesce(e.last, -1)
      GROUP BY 1, 2 ORDER BY 1, 2`,
    [orgs, orgs.map((org) => before.logEnds.get(org))],
  );
}

/** Tables whose rows differ between two fingerprints. */
export function changedTables(before: Fingerprint, after: Fingerprint): string[] {
  const names = new Set([...before.tables.keys(), ...after.tables.keys()]);
  return [...names]
    .filter((name) => before.tables.get(name)?.hash !== after.tables.get(name)?.hash)
    .sort();
}
