import { Injectable } from '@nestjs/common';
import type { Tx } from '../../infra/database/transaction';
import { query, queryReturning, statement, type Statement } from '../sql';
import { PersonMergeEntity } from './person-merge.entity';

/**
 * A table whose rows belong to a person, as a merge moves them: `column` names the person;
 * `sealed` names a column that may hold a value under that person's own key (re-encrypted under
 * the survivor's before the row moves); `insertOnly` tables are rewritten only through the
 * `person_merge_move` function (the API role may not update them); `uniqueWith` lists columns
 * that, with `column`, are unique: an absorbed row the survivor already has is dropped.
 */
export interface PersonReference {
  readonly table: string;
  readonly column: string;
  readonly sealed?: string;
  readonly insertOnly?: boolean;
  /**
   * For a table with two sealed columns (insert-only): the step's name in `person_merge_move`
   * that re-seals this column without moving the rows yet (the table's last entry moves them).
   */
  readonly step?: string;
  readonly uniqueWith?: readonly string[];
}

/**
 * EVERY table that references a person, except the identity and blind-index rows (replaced,
 * not moved) and `person_merge` itself. Adding a table that references a person is one line
 * here; `person-merge.medium-spec.ts` fails while a foreign key to `person` or a sealed column
 * of such a table is missing from this list.
 */
export const PERSON_REFERENCES: readonly PersonReference[] = [
  { table: 'contact', column: 'person_id', sealed: 'notes', insertOnly: true },
  { table: 'support_need', column: 'person_id' },
  { table: 'referral', column: 'person_id', sealed: 'override_reason' },
  { table: 'consent', column: 'person_id' },
  { table: 'reveal_detail', column: 'person_id', sealed: 'detail', insertOnly: true },
  {
    table: 'contact_amendment',
    column: 'person_id',
    sealed: 'reason',
    insertOnly: true,
    step: 'contact_amendment.reason',
  },
  { table: 'contact_amendment', column: 'person_id', sealed: 'notes', insertOnly: true },
  { table: 'follow_up', column: 'person_id', sealed: 'text' },
  { table: 'person_key_worker', column: 'person_id', uniqueWith: ['staff_id'] },
  { table: 'outcome_check_in', column: 'person_id' },
  { table: 'disclosure_request_person', column: 'person_id', uniqueWith: ['request_id'] },
];

/** The key of a reference's statements (a table may be listed once per sealed column). */
const keyOf = (r: PersonReference): string => r.step ?? r.table;

/**
 * Tables handled by the merge itself rather than moved: replaced or written by it (and
 * `person_name_lookup`, which the database's triggers rebuild from `person_index` and
 * `person_identity`) — and `person_erasure`, the receipt of an erased person, whom a merge
 * refuses (`person_erased`).
 */
export const PERSON_TABLES_NOT_MOVED: readonly string[] = [
  'person',
  'person_identity',
  'person_index',
  'person_name_lookup',
  'person_merge',
  'person_erasure',
];

type Pair = { organisationId: string; absorbedId: string; survivorId: string };
export interface SealedRow {
  readonly id: string;
  readonly sealed: Buffer;
}

const camel = (s: string): string => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

interface ReferenceStatements {
  readonly lockSealed?: Statement<{ organisationId: string; absorbedId: string }, SealedRow>;
  readonly reseal?: Statement<
    { organisationId: string; ids: string[]; olds: Buffer[]; news: Buffer[] },
    { id: string }
  >;
  readonly dropClashes?: Statement<Pair, { n: number }>;
  readonly move: Statement<Pair, { moved: number }> | null;
}

/** The statements of each reference, declared once at load (named `personMerge.<table>…`). */
const STATEMENTS: ReadonlyMap<string, ReferenceStatements> = new Map(
  PERSON_REFERENCES.map((r) => {
    const name = `personMerge.${camel(keyOf(r).replace('.', '_'))}`;
    const col = `"${r.column}"`;
    const out: ReferenceStatements = {
      lockSealed:
        r.sealed === undefined
          ? undefined
          : statement<{ organisationId: string; absorbedId: string }, SealedRow>(
              `${name}LockSealed`,
              // Insert-only rows cannot be locked by the API role (nor changed: the merge
              // function's compare-and-swap, and its check that nothing is left under the
              // absorbed key, refuse a row written meanwhile).
              `SELECT id::text AS id, "${r.sealed}" AS sealed FROM "${r.table}"
 WHERE organisation_id = :organisationId AND ${col} = :absorbedId AND "${r.sealed}" IS NOT NULL
 ORDER BY id${r.insertOnly === true ? '' : '\n   FOR UPDATE'}`,
            ),
      reseal:
        r.sealed === undefined || r.insertOnly === true
          ? undefined
          : statement(
              `${name}Reseal`,
              `UPDATE "${r.table}" t SET "${r.sealed}" = v.new
  FROM unnest(:ids::uuid[], :olds::bytea[], :news::bytea[]) AS v(id, old, new)
 WHERE t.organisation_id = :organisationId AND t.id = v.id AND t."${r.sealed}" = v.old
RETURNING t.id::text AS id`,
            ),
      dropClashes:
        r.uniqueWith === undefined
          ? undefined
          : statement<Pair, { n: number }>(
              `${name}DropClashes`,
              `WITH gone AS (
  DELETE FROM "${r.table}" a
   WHERE a.organisation_id = :organisationId AND a.${col} = :absorbedId
     AND EXISTS (SELECT 1 FROM "${r.table}" s
                  WHERE s.organisation_id = a.organisation_id AND s.${col} = :survivorId
                    ${r.uniqueWith.map((c) => `AND s."${c}" IS NOT DISTINCT FROM a."${c}"`).join(' ')})
  RETURNING 1)
SELECT count(*)::int AS n FROM gone`,
            ),
      move:
        r.insertOnly === true
          ? null
          : statement<Pair, { moved: number }>(
              `${name}Move`,
              // Counted without naming a key column: a table may have none called `id`.
              `WITH moved AS (
  UPDATE "${r.table}" SET ${col} = :survivorId
   WHERE organisation_id = :organisationId AND ${col} = :absorbedId
  RETURNING 1)
SELECT count(*)::int AS moved FROM moved`,
            ),
    };
    return [keyOf(r), out];
  }),
);

const moveInsertOnly = statement<
  Pair & { table: string; ids: string[]; olds: Buffer[]; news: Buffer[] },
  { moved: number }
>(
  'personMerge.moveInsertOnly',
  `SELECT person_merge_move(:table, :absorbedId, :survivorId, :ids::uuid[], :olds::bytea[], :news::bytea[]) AS moved`,
);

const personKeyIds = statement<{ organisationId: string; personId: string }, { key_id: number }>(
  'personMerge.personKeyIds',
  `SELECT key_id FROM organisation_key
 WHERE organisation_id = :organisationId AND purpose = 'person_data' AND subject_id = :personId
   AND status <> 'destroyed'
 ORDER BY key_id`,
);

/**
 * The survivor keeps its consent in force for a purpose both people gave; the absorbed
 * person's is closed as of the merge (by the merging coordinator), so one stays in force.
 */
const closeClashingConsents = statement<Pair & { now: Date; userId: string }, { id: string }>(
  'personMerge.closeClashingConsents',
  `UPDATE consent a SET revoked_at = :now, revoked_by = :userId, version = a.version + 1
 WHERE a.organisation_id = :organisationId AND a.person_id = :absorbedId AND a.revoked_at IS NULL
   AND EXISTS (SELECT 1 FROM consent s
                WHERE s.organisation_id = a.organisation_id AND s.person_id = :survivorId
                  AND s.purpose = a.purpose AND s.revoked_at IS NULL)
RETURNING a.id::text AS id`,
);

const lastSeen = statement<
  { organisationId: string; ids: string[] },
  { person_id: string; last_seen_on: string }
>(
  'personMerge.lastSeen',
  `SELECT person_id::text AS person_id, to_char(max(occurred_on), 'YYYY-MM-DD') AS last_seen_on
  FROM contact
 WHERE organisation_id = :organisationId AND person_id = ANY(:ids::uuid[])
 GROUP BY person_id`,
);

const countsOf = statement<
  { organisationId: string; personId: string },
  { contacts: number; needs: number; referrals: number; last_seen_on: string | null }
>(
  'personMerge.countsOf',
  `SELECT (SELECT count(*)::int FROM contact WHERE organisation_id = :organisationId AND person_id = :personId) AS contacts,
       (SELECT count(*)::int FROM support_need WHERE organisation_id = :organisationId AND person_id = :personId) AS needs,
       (SELECT count(*)::int FROM referral WHERE organisation_id = :organisationId AND person_id = :personId) AS referrals,
       (SELECT to_char(max(occurred_on), 'YYYY-MM-DD') FROM contact
         WHERE organisation_id = :organisationId AND person_id = :personId) AS last_seen_on`,
);

const markMerged = statement<
  { organisationId: string; absorbedId: string; survivorId: string; now: Date },
  { id: string }
>(
  'personMerge.markMerged',
  `UPDATE person SET merged_into = :survivorId, erased_at = :now, has_identity = false,
       version = version + 1, updated_at = :now
 WHERE organisation_id = :organisationId AND id = :absorbedId AND merged_into IS NULL
RETURNING id::text AS id`,
);

/**
 * The data side of merging two people (core/records/person-merge.ts): moving every row that
 * references the absorbed person, the re-sealing that must come first, and the merge record.
 * Values arrive here already re-encrypted; nothing here sees a name or a key.
 */
@Injectable()
export class PersonMergeRepository {
  /** Ids of the person's keys that still have material (any that may have sealed a value). */
  async personKeyIds(tx: Tx, organisationId: string, personId: string): Promise<Set<number>> {
    const rows = await query(tx.manager, personKeyIds, { organisationId, personId });
    return new Set(rows.map((r) => r.key_id));
  }

  /** The absorbed person's sealed values in `reference`, locked for the merge. */
  lockSealed(tx: Tx, reference: PersonReference, organisationId: string, absorbedId: string) {
    const stmt = STATEMENTS.get(keyOf(reference))?.lockSealed;
    if (stmt === undefined) return Promise.resolve([] as SealedRow[]);
    return query(tx.manager, stmt, { organisationId, absorbedId });
  }

  /**
   * Moves the absorbed person's rows of `reference` to the survivor, writing `resealed` (values
   * re-encrypted under the survivor's key, compare-and-swap on the old) first. How many moved.
   */
  async move(
    tx: Tx,
    reference: PersonReference,
    pair: Pair,
    resealed: readonly { id: string; old: Buffer; value: Buffer }[],
  ): Promise<number> {
    const stmts = STATEMENTS.get(keyOf(reference))!;
    const ids = resealed.map((r) => r.id);
    const olds = resealed.map((r) => r.old);
    const news = resealed.map((r) => r.value);
    if (reference.insertOnly === true) {
      const [row] = await query(tx.manager, moveInsertOnly, {
        ...pair,
        table: keyOf(reference),
        ids,
        olds,
        news,
      });
      return row?.moved ?? 0;
    }
    if (stmts.reseal !== undefined && resealed.length > 0) {
      const done = await queryReturning(tx.manager, stmts.reseal, {
        organisationId: pair.organisationId,
        ids,
        olds,
        news,
      });
      if (done.length !== resealed.length) throw new Error(`${reference.table}: value changed`);
    }
    if (stmts.dropClashes !== undefined) await query(tx.manager, stmts.dropClashes, pair);
    const [row] = await query(tx.manager, stmts.move!, pair);
    return row?.moved ?? 0;
  }

  async closeClashingConsents(tx: Tx, pair: Pair, now: Date, userId: string): Promise<number> {
    return (await queryReturning(tx.manager, closeClashingConsents, { ...pair, now, userId }))
      .length;
  }

  /** Marks the absorbed person merged (and, like an erased person, without identity). */
  async markMerged(tx: Tx, pair: Pair, now: Date): Promise<boolean> {
    return (await queryReturning(tx.manager, markMerged, { ...pair, now })).length === 1;
  }

  async insertMerge(
    tx: Tx,
    row: Omit<PersonMergeEntity, 'organisation' | 'survivor' | 'absorbed'>,
  ): Promise<void> {
    await tx.manager.getRepository(PersonMergeEntity).insert(row);
  }

  /** The day each of `ids` was last seen (latest contact), for those with a contact. */
  async lastSeen(
    tx: Tx,
    organisationId: string,
    ids: readonly string[],
  ): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await query(tx.manager, lastSeen, { organisationId, ids: [...ids] });
    return new Map(rows.map((r) => [r.person_id, r.last_seen_on]));
  }

  /** How much a person's record holds (for choosing which record survives). */
  async countsOf(
    tx: Tx,
    organisationId: string,
    personId: string,
  ): Promise<{ contacts: number; needs: number; referrals: number; lastSeenOn: string | null }> {
    const [row] = await query(tx.manager, countsOf, { organisationId, personId });
    return {
      contacts: row?.contacts ?? 0,
      needs: row?.needs ?? 0,
      referrals: row?.referrals ?? 0,
      lastSeenOn: row?.last_seen_on ?? null,
    };
  }
}
