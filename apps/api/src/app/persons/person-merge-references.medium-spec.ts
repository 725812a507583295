import {
  PERSON_REFERENCES,
  PERSON_TABLES_NOT_MOVED,
} from '../../data/persons/person-merge.repository';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';

/**
 * The merge's list of what it moves (`PERSON_REFERENCES`) against the schema: a table that
 * references a person, or a sealed column of such a table, missing from the list would be left
 * behind — or moved unreadable — by a merge.
 */
describe('merging two people: what it moves', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  }, 60_000);

  afterAll(async () => {
    await db.drop();
  });

  it('lists every table that references a person, and every sealed column of those tables', async () => {
    const referencing = await db.asSuperuser<{ t: string; c: string }>(
      `SELECT c.relname AS t, a.attname AS c
         FROM pg_constraint k
         JOIN pg_class c ON c.oid = k.conrelid
         JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[2]
        WHERE k.contype = 'f' AND k.confrelid = 'public.person'::regclass
        ORDER BY 1, 2`,
    );
    const listed = new Set(PERSON_REFERENCES.map((r) => `${r.table}.${r.column}`));
    const missing = referencing
      .filter((r) => !PERSON_TABLES_NOT_MOVED.includes(r.t))
      .map((r) => `${r.t}.${r.c}`)
      .filter((name) => !listed.has(name));
    expect(missing).toEqual([]);
    // A sealed column of a moved table is re-encrypted (a value under the absorbed key must
    // not move unreadable).
    const sealed = await db.asSuperuser<{ field: string }>(
      `SELECT DISTINCT c.relname || '.' || m[1] AS field
         FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
        CROSS JOIN LATERAL regexp_matches(pg_get_constraintdef(k.oid), 'get_byte\\("?([a-z_]+)"?, 0\\) = 1', 'g') AS m
        WHERE k.contype = 'c' AND c.relname = ANY($1::text[])`,
      [PERSON_REFERENCES.map((r) => r.table)],
    );
    const resealed = new Set(PERSON_REFERENCES.map((r) => `${r.table}.${r.sealed ?? ''}`));
    expect(sealed.map((r) => r.field).filter((f) => !resealed.has(f))).toEqual([]);
  });
});
