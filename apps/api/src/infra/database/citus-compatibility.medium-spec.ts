import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';

/**
 * How far the migrated schema is ready to be sharded by organisation on Citus
 * (docs/scaling.md, "Sharding by organisation"). Citus distributes a table by one column and
 * needs every primary key and unique constraint of a distributed table to include it, and every
 * foreign key between distributed tables to join on it; tables without it become reference
 * tables (copied to every node) or stay on the coordinator. This checks the catalogue of the
 * migrated schema for exactly that, with `organisation_id` as the distribution column
 * (`organisation` itself distributed by its `id`, co-located), and names every exception: a new
 * table, key or foreign key that breaks the rule fails here until it is fixed or listed (with
 * what it means for Citus) below and in docs/scaling.md. Citus itself is not installed on this
 * machine; what it would say is checked against its documented rules.
 */

/** Tables without `organisation_id`, and what each becomes on Citus. */
const GLOBAL_TABLES: Readonly<Record<string, string>> = {
  organisation: 'distributed by id (the organisation id itself), co-located with tenant tables',
  login_throttle: 'coordinator-local: throttles before the organisation is known',
  backup_run: 'coordinator-local: backups are per cluster',
  typeorm_migration: 'coordinator-local: the migration history',
};

/** Unique indexes of tenant tables that do not include organisation_id (not allowed by Citus). */
const UNIQUE_WITHOUT_ORGANISATION: Readonly<Record<string, string>> = {
  // The session cookie is looked up before the organisation is known: on Citus the token must
  // carry its organisation (or a coordinator-local token → organisation map), docs/scaling.md.
  staff_session_token_unique: 'staff_session (token_hash)',
};

/** Schemas other than public, and where they go. */
const OTHER_SCHEMAS: Readonly<Record<string, string>> = {
  pgboss: 'pg-boss queue tables: coordinator-local (or a separate small PostgreSQL)',
};

const ORG = 'organisation_id';

interface Table {
  readonly name: string;
  readonly hasOrganisation: boolean;
  readonly primaryKey: string[] | null;
}

async function tablesOf(db: TestDatabase): Promise<Table[]> {
  return db.asSuperuser<Table>(
    `SELECT c.relname AS name,
              EXISTS (SELECT 1 FROM pg_attribute a
                       WHERE a.attrelid = c.oid AND a.attname = '${ORG}' AND NOT a.attisdropped)
                AS "hasOrganisation",
              (SELECT array_agg(a.attname::text ORDER BY a.attnum)
                 FROM pg_index x JOIN pg_attribute a
                   ON a.attrelid = x.indrelid AND a.attnum = ANY (x.indkey)
                WHERE x.indrelid = c.oid AND x.indisprimary) AS "primaryKey"
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        ORDER BY 1`,
  );
}

async function uniqueWithoutOrganisation(
  db: TestDatabase,
): Promise<{ index: string; table: string; columns: string }[]> {
  return db.asSuperuser<{ index: string; table: string; columns: string }>(
    `SELECT i.relname AS index, c.relname AS table,
              pg_get_indexdef(x.indexrelid) AS columns
         FROM pg_index x
         JOIN pg_class c ON c.oid = x.indrelid
         JOIN pg_class i ON i.oid = x.indexrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND x.indisunique
          AND EXISTS (SELECT 1 FROM pg_attribute a
                       WHERE a.attrelid = c.oid AND a.attname = '${ORG}' AND NOT a.attisdropped)
          AND NOT EXISTS (SELECT 1 FROM pg_attribute a
                           WHERE a.attrelid = c.oid AND a.attname = '${ORG}'
                             AND a.attnum = ANY (x.indkey))
        ORDER BY 1`,
  );
}

async function foreignKeyProblems(
  db: TestDatabase,
  tenantTables: readonly Table[],
): Promise<{ problems: string[]; checked: number }> {
  const fks = await db.asSuperuser<{
    name: string;
    from: string;
    to: string;
    pairs: { from: string; to: string }[];
  }>(
    `SELECT k.conname AS name, c.relname AS "from", f.relname AS "to",
              (SELECT json_agg(json_build_object('from', a.attname, 'to', b.attname)
                               ORDER BY p.i)
                 FROM unnest(k.conkey, k.confkey) WITH ORDINALITY AS p(src, dst, i)
                 JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = p.src
                 JOIN pg_attribute b ON b.attrelid = k.confrelid AND b.attnum = p.dst) AS pairs
         FROM pg_constraint k
         JOIN pg_class c ON c.oid = k.conrelid
         JOIN pg_class f ON f.oid = k.confrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND k.contype = 'f'
        ORDER BY 1`,
  );
  const isTenant = new Set(tenantTables.map((t) => t.name));
  const problems: string[] = [];
  let checked = 0;
  for (const fk of fks) {
    const describe = `${fk.from}(${fk.pairs.map((p) => p.from).join(', ')}) → ${fk.to}(${fk.pairs.map((p) => p.to).join(', ')})`;
    if (isTenant.has(fk.from) && fk.to === 'organisation') {
      // Distributed by id, co-located: the key must be organisation_id → id.
      if (!fk.pairs.some((p) => p.from === ORG && p.to === 'id')) problems.push(describe);
    } else if (isTenant.has(fk.from) && isTenant.has(fk.to)) {
      if (!fk.pairs.some((p) => p.from === ORG && p.to === ORG)) problems.push(describe);
    } else if (!isTenant.has(fk.from) && isTenant.has(fk.to)) {
      // A local or reference table cannot reference a distributed one.
      problems.push(`${describe} (global → tenant)`);
    }
    checked++;
  }
  return { problems, checked };
}

describe('the schema against Citus: organisation_id as the distribution column', () => {
  let db: TestDatabase;
  let tables: Table[];

  beforeAll(async () => {
    db = await createTestDatabase();
    tables = await tablesOf(db);
  }, 120_000);

  afterAll(async () => {
    await db.drop();
  });

  const tenant = (): Table[] => tables.filter((t) => t.hasOrganisation);

  it('every table has organisation_id except the listed global tables', () => {
    const global = tables.filter((t) => !t.hasOrganisation).map((t) => t.name);
    expect(global.sort()).toEqual(Object.keys(GLOBAL_TABLES).sort());
    expect(tenant().length).toBeGreaterThanOrEqual(30);
    process.stdout.write(
      `citus: ${tenant().length} tenant tables (distributed by ${ORG}), ` +
        `${global.length} global: ${global.join(', ')}\n`,
    );
  });

  it('no other schema holds tables, except those listed', async () => {
    const schemas = await db.asSuperuser<{ schema: string }>(
      `SELECT DISTINCT n.nspname AS schema FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p')
          AND n.nspname NOT IN ('public', 'pg_catalog', 'information_schema', 'pg_toast')
        ORDER BY 1`,
    );
    expect(schemas.map((s) => s.schema)).toEqual(Object.keys(OTHER_SCHEMAS).sort());
  });

  it('every tenant table has a primary key, and it includes organisation_id', () => {
    const problems = tenant()
      .filter((t) => !t.primaryKey?.includes(ORG))
      .map((t) => `${t.name} (${t.primaryKey?.join(', ') ?? 'no primary key'})`);
    expect(problems).toEqual([]);
  });

  it('every unique constraint and index of a tenant table includes organisation_id, except those listed', async () => {
    const uniques = await uniqueWithoutOrganisation(db);
    expect(uniques.map((u) => u.index)).toEqual(Object.keys(UNIQUE_WITHOUT_ORGANISATION).sort());
    // Exclusion constraints are unique constraints too, as far as Citus is concerned.
    const exclusions = await db.asSuperuser<{ name: string }>(
      `SELECT k.conname AS name FROM pg_constraint k
         JOIN pg_namespace n ON n.oid = k.connamespace
        WHERE n.nspname = 'public' AND k.contype = 'x'
          AND NOT 'organisation_id' = ANY (
            SELECT a.attname FROM pg_attribute a
             WHERE a.attrelid = k.conrelid AND a.attnum = ANY (k.conkey))`,
    );
    expect(exclusions).toEqual([]);
  });

  it('every foreign key between tenant tables joins on organisation_id; tenant → organisation on its id', async () => {
    const { problems, checked } = await foreignKeyProblems(db, tenant());
    expect(problems).toEqual([]);
    process.stdout.write(`citus: ${checked} foreign keys checked, all on ${ORG}\n`);
  });

  it('row-level security filters every tenant table by organisation (the same filter a shard needs)', async () => {
    const unprotected = await db.asSuperuser<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
          AND c.relname = ANY ($1::text[])
          AND NOT (c.relrowsecurity AND EXISTS (
                SELECT 1 FROM pg_policies p
                 WHERE p.schemaname = 'public' AND p.tablename = c.relname
                   AND p.qual LIKE '%organisation_id%app.org_id%'))
        ORDER BY 1`,
      [tenant().map((t) => t.name)],
    );
    expect(unprotected.map((u) => u.name)).toEqual([]);
  });

  it('sequences: only the listed ones, none shared across organisations but these', async () => {
    const sequences = await db.asSuperuser<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'S' ORDER BY 1`,
    );
    // person_key ids are global (the keyring is keyed by them); on Citus a sequence gives each
    // node its own range, so ids stay unique but are not in time order across nodes.
    expect(sequences.map((s) => s.name)).toEqual(['person_key_id_seq', 'typeorm_migration_id_seq']);
  });
  it('the keyring database: its key table is keyed by organisation too', async () => {
    const keyring = await db.asKeyring<{ name: string; primaryKey: string[] | null }>(
      `SELECT c.relname AS name,
              (SELECT array_agg(a.attname::text ORDER BY a.attnum)
                 FROM pg_index x JOIN pg_attribute a
                   ON a.attrelid = x.indrelid AND a.attnum = ANY (x.indkey)
                WHERE x.indrelid = c.oid AND x.indisprimary) AS "primaryKey"
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1`,
    );
    // keyring_schema is the keyring's own version table (global, one row).
    expect(keyring.map((t) => t.name)).toEqual(['key_material', 'keyring_schema']);
    expect(keyring.find((t) => t.name === 'key_material')?.primaryKey).toEqual([ORG, 'key_id']);
  });

  it('the checks find a table that breaks each rule', async () => {
    await db.asSuperuser(
      `CREATE TABLE citus_probe_parent (organisation_id uuid NOT NULL, id uuid NOT NULL,
                                        PRIMARY KEY (organisation_id, id));
       CREATE UNIQUE INDEX citus_probe_parent_id ON citus_probe_parent (id);
       CREATE TABLE citus_probe_bad (organisation_id uuid NOT NULL, id uuid PRIMARY KEY,
                                     code text UNIQUE,
                                     parent_id uuid REFERENCES citus_probe_parent (id));`,
    );
    try {
      const all = await tablesOf(db);
      const bad = all.find((t) => t.name === 'citus_probe_bad');
      expect(bad?.primaryKey).toEqual(['id']);
      const uniques = (await uniqueWithoutOrganisation(db)).map((u) => u.index);
      expect(uniques).toEqual(
        expect.arrayContaining([
          'citus_probe_bad_code_key',
          'citus_probe_bad_pkey',
          'citus_probe_parent_id',
        ]),
      );
      const { problems } = await foreignKeyProblems(
        db,
        all.filter((t) => t.hasOrganisation),
      );
      expect(problems).toEqual([`citus_probe_bad(parent_id) → citus_probe_parent(id)`]);
    } finally {
      await db.asSuperuser(`DROP TABLE citus_probe_bad, citus_probe_parent`);
    }
  });
});
