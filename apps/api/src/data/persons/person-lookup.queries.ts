import { Injectable } from '@nestjs/common';
import { MAX_LOOKUP_CANDIDATES } from '@harbour/domain';
import type { Tx } from '../../infra/database/transaction';
import { KeyMaterialStore, type KeyMaterial } from '../keys/key-material.store';
import { prepared, preparedName, query, statement, valuesOf } from '../sql';
import {
  candidateOf,
  type Candidate,
  type CandidateRow,
  type HeldKey,
  type RestrictedReader,
} from './lookup-candidate';
import type { PersonIndexKind } from './person-index.entity';

/**
 * Whether a lookup candidate is hidden from the reader: the candidate row `alias` is restricted,
 * and the reader (null for a coordinator) is not their key worker — no `person_key_worker` row
 * joined as `w`. A join, not a subquery: PostgreSQL copies a lateral subquery into every
 * expression that uses it, and starting those copies cost each execution more than the probes
 * themselves.
 */
function hiddenFrom(alias: string): string {
  return `(${alias}.restricted AND :readerId::uuid IS NOT NULL AND w.staff_id IS NULL)`;
}

/**
 * The end of the candidate queries: each candidate (`candidate`) the reader may read, with its
 * code, the encrypted identity and the catalogue row of its key, all in the same round trip (the
 * key's material comes from the keyring database, in one more for all candidates). A restricted
 * person the reader may not read (neither a coordinator — `:readerId` null — nor one of their key
 * workers) is left out here, in the database: no row of theirs is sent, so the answer to a query
 * that finds only them is the answer to one that finds nobody (docs/adr/0023).
 */
const CANDIDATE_ROWS = `SELECT c.person_id, p.code, pi.key_id,
       pi.given_name, pi.family_name, pi.alias, pi.date_of_birth, pi.sex, pi.phone,
       k.purpose AS key_purpose, k.subject_id AS key_subject_id, k.status AS key_status
  FROM candidate c
  JOIN person p ON p.organisation_id = :organisationId AND p.id = c.person_id
  LEFT JOIN person_key_worker w
         ON p.restricted AND w.organisation_id = :organisationId AND w.person_id = c.person_id
        AND w.staff_id = :readerId::uuid
  LEFT JOIN person_identity pi
         ON pi.organisation_id = :organisationId AND pi.person_id = c.person_id
  LEFT JOIN organisation_key k ON k.organisation_id = :organisationId AND k.key_id = pi.key_id
 WHERE NOT ${hiddenFrom('p')}`;

const byIndex = statement<
  {
    organisationId: string;
    readerId: string | null;
    kind: string;
    values: string[];
    limit: number;
  },
  CandidateRow
>(
  'persons.lookupByIndex',
  `WITH wanted AS (
  SELECT DISTINCT o.person_index_bits AS bits, v >> (32 - o.person_index_bits) AS value
    FROM organisation o, unnest(:values::bigint[]) AS v
   WHERE o.id = :organisationId),
candidate AS (
  SELECT i.person_id
    FROM person_index i JOIN wanted w ON i.bits = w.bits AND i.value = w.value
   WHERE i.organisation_id = :organisationId AND i.kind = :kind
   GROUP BY i.person_id
  HAVING count(DISTINCT i.value) = (SELECT count(*) FROM wanted)
   LIMIT :limit)
${CANDIDATE_ROWS}`,
);

/**
 * Whether the reader may see the covering row `l`: it is not restricted, or the reader may read
 * every restricted person (a coordinator: `:readerId` null), or the reader is one of the
 * person's key workers — a test on the row's own columns (docs/adr/0023).
 */
const READABLE = `(NOT l.restricted OR :readerId::uuid IS NULL OR :readerId::uuid = ANY (l.key_workers))`;

/** The columns of a covering row (`person_name_lookup`) a name lookup reads. */
const COVERING = `l.person_id, l.code, l.key_id, l.given_name, l.family_name`;

/**
 * The exact name lookup's candidates from their covering rows (docs/adr/0020): the people in the
 * bucket of the query's first pair, and those marked `name_unpaired`, whose token values hold
 * every token of the query — two probes of the primary key and nothing joined. A restricted
 * person the reader may not read is left out by the same filter as a row whose tokens do not
 * match (docs/adr/0023): their identity never leaves the database, and the lookup does the same
 * work, in the same one statement, as for a name nobody holds. Values arrive truncated to the
 * organisation's width (`:bits`, read with the keyring's state in the message that opened the
 * transaction). The key's catalogue row is not joined: a lookup that already holds the person's
 * key unwrapped needs none, and for the others `PersonLookupQueries` reads it beside the key's
 * material.
 */
const byNamePairs = statement<
  {
    organisationId: string;
    readerId: string | null;
    bits: number;
    seed: string | null;
    tokens: string[];
    limit: number;
  },
  CoveringRow
>(
  'persons.lookupByNamePairs',
  `(SELECT ${COVERING} FROM person_name_lookup l
  WHERE l.organisation_id = :organisationId AND l.kind = 'name_pair' AND l.bits = :bits
    AND l.value = :seed::bigint AND l.token_values @> :tokens::bigint[] AND ${READABLE})
UNION ALL
(SELECT ${COVERING} FROM person_name_lookup l
  WHERE l.organisation_id = :organisationId AND l.kind = 'name_unpaired' AND l.bits = :bits
    AND l.value = 0 AND l.token_values @> :tokens::bigint[] AND ${READABLE})
LIMIT :limit`,
);

/** A candidate of the exact name lookup: code, and its names' key and envelopes. */
type CoveringRow = Pick<CandidateRow, 'person_id' | 'code' | 'given_name' | 'family_name'> & {
  key_id: number;
};

/** The catalogue rows of person keys a lookup does not hold unwrapped. */
const keyRows = statement<
  { organisationId: string; keyIds: number[] },
  { key_id: number; purpose: string; subject_id: string | null; status: string }
>(
  'persons.lookupKeyRows',
  `SELECT key_id, purpose, subject_id, status FROM organisation_key
  WHERE organisation_id = :organisationId AND key_id = ANY (:keyIds::integer[])`,
);

const bySimilarName = statement<
  {
    organisationId: string;
    readerId: string | null;
    pairValues: string[];
    aValues: string[];
    bValues: string[];
    tokenValues: string[];
    keyValues: string[];
    limit: number;
  },
  CandidateRow
>(
  'persons.lookupBySimilarName',
  `WITH matched AS (
  SELECT i.person_id, q.pair
    FROM organisation o
   CROSS JOIN unnest(:pairValues::bigint[], :aValues::bigint[], :bValues::bigint[]) AS q(pair, a, b)
    JOIN person_index i
      ON i.organisation_id = :organisationId AND i.kind = 'name_phonetic_pair'
     AND i.bits = o.person_index_bits AND i.value = q.pair >> (32 - o.person_index_bits)
   WHERE o.id = :organisationId
     AND EXISTS (SELECT 1 FROM person_index j
                  WHERE j.organisation_id = :organisationId AND j.kind = 'name_phonetic'
                    AND j.bits = o.person_index_bits
                    AND j.value = q.a >> (32 - o.person_index_bits) AND j.person_id = i.person_id)
     AND EXISTS (SELECT 1 FROM person_index j
                  WHERE j.organisation_id = :organisationId AND j.kind = 'name_phonetic'
                    AND j.bits = o.person_index_bits
                    AND j.value = q.b >> (32 - o.person_index_bits) AND j.person_id = i.person_id)),
candidate AS (
  SELECT m.person_id
    FROM matched m, organisation o
   WHERE o.id = :organisationId
   GROUP BY m.person_id, o.person_index_bits
   ORDER BY count(DISTINCT m.pair) DESC,
            (SELECT count(*) FROM person_index t
              WHERE t.organisation_id = :organisationId AND t.kind = 'name'
                AND t.bits = o.person_index_bits AND t.person_id = m.person_id
                AND t.value = ANY (SELECT v >> (32 - o.person_index_bits)
                                     FROM unnest(:tokenValues::bigint[]) AS v)) DESC,
            (SELECT count(*) FROM person_index k
              WHERE k.organisation_id = :organisationId AND k.kind = 'name_phonetic'
                AND k.bits = o.person_index_bits AND k.person_id = m.person_id
                AND k.value = ANY (SELECT v >> (32 - o.person_index_bits)
                                     FROM unnest(:keyValues::bigint[]) AS v)) DESC,
            m.person_id
   LIMIT :limit)
${CANDIDATE_ROWS}`,
);

const withoutSimilarName = statement<
  { organisationId: string; after: string; limit: number },
  { person_id: string }
>(
  'persons.withoutSimilarName',
  `SELECT pi.person_id
     FROM person_identity pi
    WHERE pi.organisation_id = :organisationId AND pi.person_id > :after::uuid
      AND (pi.given_name IS NOT NULL OR pi.family_name IS NOT NULL)
      AND NOT EXISTS (SELECT 1 FROM person_index i
                       WHERE i.organisation_id = :organisationId AND i.person_id = pi.person_id
                         AND i.kind IN ('name_phonetic', 'name_phonetic_pair'))
    ORDER BY pi.person_id
    LIMIT :limit`,
);

/**
 * The name-pair candidate query (`PersonLookupQueries.byNamePairs`) as it is sent: the prepared
 * statement's name, its text and its values. The records benchmark times it on its own.
 */
export function namePairsQuery(
  organisationId: string,
  reader: RestrictedReader,
  bits: number,
  pairs: readonly number[],
  tokens: readonly number[],
): { name: string; sql: string; values: unknown[] } {
  // 32-bit values truncated to the width, as the rows hold them (v_L = v_32 >> (32 − L)).
  const truncate = (v: number): string => String(Math.floor(v / 2 ** (32 - bits)));
  return {
    name: preparedName(byNamePairs.name),
    sql: byNamePairs.sql,
    values: valuesOf(byNamePairs, {
      organisationId,
      readerId: reader,
      bits,
      seed: pairs.length === 0 ? null : truncate(pairs[0]!),
      tokens: [...new Set(tokens)].map(truncate),
      limit: MAX_LOOKUP_CANDIDATES * 10,
    }),
  };
}

/**
 * The two blind-index lookups (ADR 0005): candidates only — the index narrows, decryption in
 * `IdentityVault` confirms. Both run as prepared statements: they are the hot path of a search.
 */
@Injectable()
export class PersonLookupQueries {
  constructor(private readonly keyMaterial: KeyMaterialStore) {}

  /**
   * The candidates, each with its key's material from the keyring database (one query for all),
   * except the keys the caller already `held` unwrapped (no material is read for those).
   */
  private async withMaterial(
    organisationId: string,
    rows: CandidateRow[],
    held: HeldKey,
  ): Promise<Candidate[]> {
    const keyIds = [
      ...new Set(
        rows.flatMap((r) =>
          r.key_purpose === null || held(r.key_id!, r.person_id) ? [] : [r.key_id!],
        ),
      ),
    ];
    const material = await this.keyMaterial.material(organisationId, keyIds);
    return rows.map((r) => candidateOf(r, r.key_id === null ? undefined : material.get(r.key_id)));
  }

  /**
   * People whose index rows of `kind` hold every one of `values` (32-bit values, truncated to
   * the organisation's width): one round trip for all candidates of one index.
   */
  async byIndex(
    tx: Tx,
    organisationId: string,
    reader: RestrictedReader,
    kind: PersonIndexKind,
    values: readonly number[],
    held: HeldKey = () => false,
    limit = MAX_LOOKUP_CANDIDATES * 10,
  ): Promise<Candidate[]> {
    const unique = [...new Set(values)];
    if (unique.length === 0) return [];
    const rows = await prepared(tx, byIndex, {
      organisationId,
      readerId: reader,
      kind,
      values: unique.map(String),
      limit,
    });
    return this.withMaterial(organisationId, rows, held);
  }

  /**
   * People who share the first pair of a name query (`pairs`) or are marked `name_unpaired`,
   * and whose name tokens include every token of the query (`tokens`): one probe of their
   * covering rows (`person_name_lookup`, docs/adr/0020), which carry the tokens, the code, the
   * restricted flag, the key workers and the name envelopes. The pair's bucket holds the people
   * sharing that pair of tokens plus a few collisions, so a common token alone ("Nguyen") never
   * makes the query read thousands of rows; the other pairs add nothing once every token is held
   * (a pair is two of the person's tokens). A query without pairs (more tokens than are
   * pair-indexed) can only match marked people. Restricted people the reader may not read are
   * never among the candidates. The index only narrows: decryption confirms.
   */
  async byNamePairs(
    tx: Tx,
    organisationId: string,
    reader: RestrictedReader,
    bits: number,
    pairs: readonly number[],
    tokens: readonly number[],
    held: HeldKey = () => false,
  ): Promise<Candidate[]> {
    const q = namePairsQuery(organisationId, reader, bits, pairs, tokens);
    const rows = await tx.prepared<CoveringRow>(q.name, q.sql, q.values);
    const keyIds = [
      ...new Set(rows.flatMap((r) => (held(r.key_id, r.person_id) ? [] : [r.key_id]))),
    ];
    // Keys not held: their catalogue rows here and their material from the keyring database,
    // side by side (none in the steady state of a server that has seen these people).
    const [catalogue, material] =
      keyIds.length === 0
        ? [[], new Map<number, KeyMaterial>()]
        : await Promise.all([
            prepared(tx, keyRows, { organisationId, keyIds }),
            this.keyMaterial.material(organisationId, keyIds),
          ]);
    const byId = new Map(catalogue.map((k) => [k.key_id, k]));
    return rows.map((r) => {
      const key = byId.get(r.key_id);
      return candidateOf(
        {
          ...r,
          alias: null,
          date_of_birth: null,
          sex: null,
          phone: null,
          key_purpose: key?.purpose ?? null,
          key_subject_id: key?.subject_id ?? null,
          key_status: key?.status ?? null,
        },
        material.get(r.key_id),
      );
    });
  }

  /**
   * People who hold, for any one probe, its phonetic-pair value and both its phonetic-key values
   * (ADR 0010): the pair's bucket seeds, the two key probes drop the bucket's chance collisions.
   * The most promising come first, so that a cap cuts the least likely: those matching more
   * probes, then those holding more of the query's exact tokens (`tokens`, 32-bit `name`
   * values: a typo in one token leaves the others exact), then more of its phonetic keys
   * (`keys`, the whole name joined among them).
   */
  async bySimilarName(
    tx: Tx,
    organisationId: string,
    reader: RestrictedReader,
    probes: readonly { pair: number; a: number; b: number }[],
    tokens: readonly number[],
    keys: readonly number[],
    limit: number,
    held: HeldKey = () => false,
  ): Promise<Candidate[]> {
    if (probes.length === 0 || limit <= 0) return [];
    const rows = await prepared(tx, bySimilarName, {
      organisationId,
      readerId: reader,
      pairValues: probes.map((p) => String(p.pair)),
      aValues: probes.map((p) => String(p.a)),
      bValues: probes.map((p) => String(p.b)),
      tokenValues: tokens.map(String),
      keyValues: keys.map(String),
      limit,
    });
    return this.withMaterial(organisationId, rows, held);
  }

  /** People with a name but no similar-name rows, in id order after `after` (the re-index). */
  async withoutSimilarName(
    tx: Tx,
    organisationId: string,
    after: string,
    limit: number,
  ): Promise<string[]> {
    const rows = await query(tx.manager, withoutSimilarName, { organisationId, after, limit });
    return rows.map((r) => r.person_id);
  }
}
