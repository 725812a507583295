import { generatePersonCode, uuidv7 } from '@harbour/domain';
import type { AuditBenchEnvironment } from '../audit/environment';
import { mulberry32 } from '../audit/events';

/**
 * A bulk population of people for the lookup benchmark, written as `PersonsService.create`
 * writes a person with a given and a family name: person keys made by
 * `KeyringService.createPersonKeys` (wrapped by the KEK, bound to each person), both names
 * encrypted under it in their places, and the name blind-index rows (tokens and folded variants,
 * and pairs of folded tokens) under the organisation's index key and width. Rows go in with `INSERT … SELECT FROM unnest`
 * in transactions of `BATCH`, as the application role with the tenant set. The same names go to
 * a plaintext table with a B-tree index, the reference the encrypted lookup is compared with.
 */

const BATCH = 5_000;

const SYLLABLES = [
  'ka',
  'ri',
  'mo',
  'ta',
  'ne',
  'so',
  'lu',
  'pa',
  'hi',
  'ro',
  'na',
  'te',
  'mi',
  'sa',
  'do',
  'ku',
  'le',
  'po',
  'an',
  'ven',
  'tor',
  'lin',
  'mar',
  'sel',
  'dra',
  'qui',
  'bel',
  'nor',
  'phi',
  'tham',
  'chai',
  'suk',
  'boon',
  'ngu',
  'yen',
  'ha',
  'vo',
  'jin',
  'seo',
  'park',
  'lee',
  'ana',
];

/** A random name token of 2–3 syllables, capitalised. */
function token(random: () => number): string {
  const n = 2 + Math.floor(random() * 2);
  let out = '';
  for (let i = 0; i < n; i++) out += SYLLABLES[Math.floor(random() * SYLLABLES.length)]!;
  return out[0]!.toUpperCase() + out.slice(1);
}

export interface Population {
  readonly organisationId: string;
  readonly people: number;
  readonly indexRows: number;
  readonly bits: number;
  readonly seconds: number;
  /** The ids of `options.extra`, in order. */
  readonly extraIds: readonly string[];
  /** Names of a random sample of the people, for lookups. */
  readonly sample: readonly { given: string; family: string }[];
}

/** The plaintext control's lookup: one B-tree probe of the names as typed. */
export const PLAIN_LOOKUP_SQL = `SELECT id FROM bench_plain_person WHERE organisation_id = $1 AND family_name = $2 AND given_name = $3`;

export const PLAIN_TABLE_SQL = `
  CREATE TABLE IF NOT EXISTS bench_plain_person (
    organisation_id uuid NOT NULL, id uuid NOT NULL, given_name text NOT NULL, family_name text NOT NULL,
    PRIMARY KEY (organisation_id, id));
  CREATE INDEX IF NOT EXISTS bench_plain_person_name
    ON bench_plain_person (organisation_id, family_name, given_name)`;

export async function writePopulation(
  env: AuditBenchEnvironment,
  organisationId: string,
  people: number,
  bits: number,
  seed: number,
  log: (line: string) => void,
  options: {
    /** Also write the similar-name rows (ADR 0010), as `PersonIndexer.write` does. */
    readonly similar?: boolean;
    /** People to hide among the generated ones, each at a random place; their ids are returned. */
    readonly extra?: readonly { readonly given: string; readonly family: string }[];
  } = {},
): Promise<Population> {
  const started = process.hrtime.bigint();
  const random = mulberry32(seed);
  const sample: { given: string; family: string }[] = [];
  let indexRows = 0;
  // Codes are random (35 bits): a million of them collide a dozen times. The service retries;
  // here a set keeps them unique.
  const usedCodes = new Set<string>();
  const freeCode = (): string => {
    for (;;) {
      const code = generatePersonCode();
      if (!usedCodes.has(code)) {
        usedCodes.add(code);
        return code;
      }
    }
  };
  await env.asSuperuser(`UPDATE organisation SET person_index_bits = $2 WHERE id = $1`, [
    organisationId,
    bits,
  ]);
  const indexKey = await env.db.transaction(organisationId, (tx) =>
    env.keyring.indexKey(tx, organisationId),
  );
  const extraAt = new Map<number, number>();
  for (const [k] of (options.extra ?? []).entries()) {
    let at = Math.floor(random() * people);
    while (extraAt.has(at)) at = (at + 1) % people;
    extraAt.set(at, k);
  }
  const extraIds: string[] = new Array<string>(options.extra?.length ?? 0);
  for (let start = 0; start < people; start += BATCH) {
    const n = Math.min(BATCH, people - start);
    await env.db.transaction(organisationId, async (tx) => {
      const ids: string[] = [];
      const codes: string[] = [];
      const keyIds: number[] = [];
      const givenCt: Buffer[] = [];
      const familyCt: Buffer[] = [];
      const idxPerson: string[] = [];
      const idxKind: string[] = [];
      const idxValue: string[] = [];
      const plainGiven: string[] = [];
      const plainFamily: string[] = [];
      const batchIds = Array.from({ length: n }, () => uuidv7());
      const keys = await env.keyring.createPersonKeys(tx, organisationId, batchIds);
      for (let i = 0; i < n; i++) {
        const id = batchIds[i]!;
        const key = keys[i]!;
        const hidden = extraAt.get(start + i);
        let given = token(random);
        let family = token(random);
        if (hidden !== undefined) {
          ({ given, family } = options.extra![hidden]!);
          extraIds[hidden] = id;
        }
        const place = (column: string) => ({
          organisationId,
          table: 'person_identity',
          column,
          rowId: id,
        });
        ids.push(id);
        codes.push(freeCode());
        keyIds.push(key.id);
        givenCt.push(Buffer.from(env.crypto.encryptField(key, place('given_name'), given)));
        familyCt.push(Buffer.from(env.crypto.encryptField(key, place('family_name'), family)));
        for (const value of env.crypto.blindIndex.nameValues(
          indexKey,
          'person.name',
          `${given} ${family}`,
          bits,
        )) {
          idxPerson.push(id);
          idxKind.push('name');
          idxValue.push(String(value));
        }
        const pairs = env.crypto.blindIndex.namePairs(
          indexKey,
          'person.name_pair',
          `${given} ${family}`,
          bits,
        );
        for (const value of pairs ?? []) {
          idxPerson.push(id);
          idxKind.push('name_pair');
          idxValue.push(String(value));
        }
        if (options.similar === true) {
          const similar = env.crypto.blindIndex.similarNameValues(
            indexKey,
            'person.name_phonetic',
            'person.name_phonetic_pair',
            [given, family],
            32,
          );
          for (const [kind, values] of [
            ['name_phonetic', similar.keys],
            ['name_phonetic_pair', similar.pairs],
          ] as const) {
            for (const value of values) {
              idxPerson.push(id);
              idxKind.push(kind);
              // Truncated like the other rows of this writer (blind-index.ts: top bits).
              idxValue.push(String(value >>> (32 - bits)));
            }
          }
        }
        plainGiven.push(given);
        plainFamily.push(family);
        // About 500 people drawn evenly from the whole population, for the lookups.
        if (sample.length < 600 && random() < 500 / people) sample.push({ given, family });
      }
      await tx.manager.query(
        `INSERT INTO person (organisation_id, id, code, has_identity)
         SELECT $1, id, code, true FROM unnest($2::uuid[], $3::text[]) AS p(id, code)`,
        [organisationId, ids, codes],
      );
      await tx.manager.query(
        `INSERT INTO person_identity (organisation_id, person_id, key_id, given_name, family_name)
         SELECT $1, id, key_id, g, f FROM unnest($2::uuid[], $3::int[], $4::bytea[], $5::bytea[])
           AS p(id, key_id, g, f)`,
        [organisationId, ids, keyIds, givenCt, familyCt],
      );
      await tx.manager.query(
        `INSERT INTO person_index (organisation_id, kind, bits, value, person_id)
         SELECT $1, k, $2, v, p FROM unnest($3::text[], $4::bigint[], $5::uuid[]) AS x(k, v, p)
         ON CONFLICT DO NOTHING`,
        [organisationId, bits, idxKind, idxValue, idxPerson],
      );
      indexRows += idxValue.length;
      await tx.manager.query(
        `INSERT INTO bench_plain_person (organisation_id, id, given_name, family_name)
         SELECT $1, id, g, f FROM unnest($2::uuid[], $3::text[], $4::text[]) AS p(id, g, f)`,
        [organisationId, ids, plainGiven, plainFamily],
      );
    });
    if ((start + n) % 100_000 === 0 || start + n === people) {
      log(`people: ${(start + n).toLocaleString('en-GB')} / ${people.toLocaleString('en-GB')}`);
    }
  }
  return {
    organisationId,
    people,
    indexRows,
    bits,
    extraIds,
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    sample,
  };
}
