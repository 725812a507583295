import { concat, lengthPrefixed, utf8, writeU32be } from '../bytes';
import { KEY_BYTES } from '../secret-key';
import type { Sodium } from '../sodium';
import {
  foldLatinToken,
  latinFoldedVariant,
  NORMALISATION_VERSION,
  normaliseName,
  normaliseValue,
} from './normalise';
import {
  keyNeighbours,
  PHONETIC_VERSION,
  phoneticKey,
  queryTokens,
  queryUnits,
  storedNameUnits,
} from './phonetic';

/**
 * Keyed blind indexes (docs/design.md §5 "Blind indexes").
 *
 * ## Construction
 *
 * For a 32-byte per-organisation, per-index subkey K (derived by the key hierarchy, never the
 * data key itself) and a value already normalised under version N:
 *
 * ```text
 * message = frame("bidx/v1") ‖ frame(index name) ‖ frame(decimal(N)) ‖ frame(normalised value)
 * frame(s) = u32be(byte length of UTF-8(s)) ‖ UTF-8(s)
 * digest  = BLAKE2b(key = K, output length = 32 bytes, message)      // crypto_generichash
 * value   = first 32 bits of digest, big-endian, shifted right by (32 − L)
 * ```
 *
 * The version is framed as its decimal ASCII string ("1"), not as a binary integer. A compound
 * index frames each normalised part in order after the version (at least two parts, so a
 * compound value can never equal a single-value index value). Framing makes the encoding
 * injective: no two different tuples produce the same message, so "ab"+"c" ≠ "a"+"bc".
 *
 * The value is an integer in [0, 2^L) for 1 ≤ L ≤ 32. A Postgres `integer` is signed 32-bit, so
 * L ≤ 31 fits directly; L = 32 needs `bigint` or `toSignedInt32`. Because the value is the top
 * L bits, an index can be made coarser without the plaintext (v_{L'} = v_L >>> (L − L')); making
 * it finer needs a re-index from decrypted values.
 *
 * ## What an index leaks, and how L limits it
 *
 * The server stores, per organisation and index, one row (person id, value) per token. Without
 * the key the values are pseudorandom, but the table still shows:
 *
 * - **Equality**: rows that share a value. A full-length (untruncated) index would reveal
 *   exactly which people share a family name, and its frequency profile (the biggest bucket is
 *   the most common surname) invites frequency analysis.
 * - **Guess confirmation** for anyone holding the subkey (a compromised API process): they can
 *   compute the value of "Nguyen" and see who has it. This is why indexes are keyed and
 *   per-organisation (two organisations' values for the same name are unrelated), and why the
 *   subkey lives only in process memory.
 * - **Row counts per person**: how many name tokens someone has, and (through the extra Latin
 *   folded rows) whether their name carries diacritics. The API should pad each person's rows
 *   to a fixed count with random values if that matters for its threat model.
 *
 * Truncating to L bits turns equality into *bucket* membership. With R rows and 2^L buckets,
 * each value is shared by about R / 2^L rows. Choosing L so that **2 ≤ R / 2^L ≤ √R** means:
 *
 * - every value is expected to be shared by at least two rows, mostly of *different* names, so
 *   a value never singles out one person and a confirmed guess only narrows to a bucket — the
 *   k-anonymity intuition, with k ≈ R / 2^L (an expectation, not a guarantee: buckets vary);
 * - a lookup returns at most about √R candidates, which the API decrypts (under each person's
 *   key, with the access logged) to keep only the exact matches. Decryption confirms; the
 *   index only narrows.
 *
 * Truncation does not hide heavy hitters: a name carried by 300 people still makes its bucket
 * 300 rows large. Truncation protects the rare names, which are also the identifying ones.
 *
 * **Never put a UNIQUE constraint on an index column**: collisions are the design, and a
 * unique violation would be an oracle ("some row already has this value") to anyone who can
 * attempt an insert.
 */

/** The domain-separation tag framed first in every index message. */
export const BLIND_INDEX_DOMAIN = 'bidx/v1';
export const MIN_INDEX_BITS = 1;
export const MAX_INDEX_BITS = 32;
/** Bytes of the keyed BLAKE2b digest (BLAKE2b-256; the output length is a BLAKE2b parameter). */
const DIGEST_BYTES = 32;
/** Index names are fixed identifiers chosen in code, e.g. `person.family_name`, `slk581`. */
const INDEX_NAME = /^[a-z][a-z0-9_.:-]{0,63}$/;

/** `u32be(length) ‖ UTF-8 bytes` for each part, concatenated (the library's one framing). */
function frame(parts: readonly string[]): Uint8Array {
  return concat(parts.map((part) => lengthPrefixed(utf8(part))));
}

function requireKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || key.length !== KEY_BYTES) {
    throw new RangeError('blind index key must be 32 bytes');
  }
}

function requireBits(bits: number): void {
  if (!Number.isInteger(bits) || bits < MIN_INDEX_BITS || bits > MAX_INDEX_BITS) {
    throw new RangeError('blind index bits must be an integer from 1 to 32');
  }
}

function requireIndexName(indexName: string): void {
  if (typeof indexName !== 'string' || !INDEX_NAME.test(indexName)) {
    throw new RangeError('invalid blind index name');
  }
}

function requireVersionNumber(version: number): void {
  if (!Number.isSafeInteger(version) || version < 1) {
    throw new RangeError('normalisation version must be a positive integer');
  }
}

/** The exact bytes hashed for `(indexName, version, values...)`; exported for test vectors. */
export function blindIndexMessage(
  indexName: string,
  normalisationVersion: number,
  values: readonly string[],
): Uint8Array {
  const prefix = messagePrefix(indexName, normalisationVersion);
  return concat([prefix, ...values.map((value) => lengthPrefixed(utf8(value)))]);
}

/**
 * `frame("bidx/v1") ‖ frame(index name) ‖ frame(version)` depends only on the index, so it is
 * built once per (index, version) and cached; per value only the value itself is framed.
 */
const prefixCache = new Map<string, Uint8Array>();

function messagePrefix(indexName: string, normalisationVersion: number): Uint8Array {
  const cacheKey = `${indexName}\u0000${normalisationVersion}`;
  let prefix = prefixCache.get(cacheKey);
  if (prefix === undefined) {
    // Validated once per (index, version): a cached prefix means both were valid.
    requireIndexName(indexName);
    requireVersionNumber(normalisationVersion);
    prefix = frame([BLIND_INDEX_DOMAIN, indexName, String(normalisationVersion)]);
    if (prefixCache.size >= 1024) prefixCache.clear();
    prefixCache.set(cacheKey, prefix);
  }
  return prefix;
}

let scratch = new Uint8Array(512);
const encoder = new TextEncoder();

/**
 * The message for a single value, written into a shared scratch buffer and returned as a view
 * valid until the next call (libsodium copies it synchronously): no allocation per value.
 */
function singleValueMessage(
  indexName: string,
  normalisationVersion: number,
  value: string,
): Uint8Array {
  const prefix = messagePrefix(indexName, normalisationVersion);
  const start = prefix.length + 4;
  // UTF-8 needs at most 3 bytes per UTF-16 code unit.
  if (scratch.length < start + value.length * 3)
    scratch = new Uint8Array((start + value.length * 3) * 2);
  scratch.set(prefix, 0);
  let written = 0;
  const length = value.length;
  for (; written < length; written++) {
    const code = value.charCodeAt(written);
    if (code >= 0x80) break;
    scratch[start + written] = code;
  }
  // Non-ASCII values (Thai, Hangul, Han, accented Latin) go through the standard encoder.
  if (written < length) written = encoder.encodeInto(value, scratch.subarray(start)).written;
  writeU32be(scratch, prefix.length, written);
  return scratch.subarray(0, start + written);
}

function indexValueOf(
  sodium: Sodium,
  key: Uint8Array,
  indexName: string,
  normalisationVersion: number,
  values: readonly string[],
  bits: number,
): number {
  requireKey(key);
  requireBits(bits);
  if (values.some((value) => typeof value !== 'string' || value.length === 0)) {
    // An empty value would put every record without one into the same bucket.
    throw new RangeError('blind index value must be a non-empty normalised string');
  }
  const message =
    values.length === 1
      ? singleValueMessage(indexName, normalisationVersion, values[0]!)
      : blindIndexMessage(indexName, normalisationVersion, values);
  return topBits(sodium.crypto_generichash(DIGEST_BYTES, message, key), bits);
}

function topBits(digest: Uint8Array, bits: number): number {
  const top32 = ((digest[0]! << 24) | (digest[1]! << 16) | (digest[2]! << 8) | digest[3]!) >>> 0;
  return top32 >>> (32 - bits);
}

/**
 * The L-bit blind index of one already-normalised value: keyed BLAKE2b-256 over the framed
 * `("bidx/v1", indexName, decimal(normalisationVersion), normalisedValue)`, top `bits` bits,
 * as an integer in [0, 2^bits). Throws `RangeError` for a key that is not 32 bytes, `bits`
 * outside 1..32, a malformed index name or an empty value (messages never include the value).
 */
export function blindIndexValue(
  sodium: Sodium,
  key: Uint8Array,
  indexName: string,
  normalisationVersion: number,
  normalisedValue: string,
  bits: number,
): number {
  requireKey(key);
  requireBits(bits);
  if (typeof normalisedValue !== 'string' || normalisedValue.length === 0) {
    // An empty value would put every record without one into the same bucket.
    throw new RangeError('blind index value must be a non-empty normalised string');
  }
  const message = singleValueMessage(indexName, normalisationVersion, normalisedValue);
  return topBits(sodium.crypto_generichash(DIGEST_BYTES, message, key), bits);
}

function sortedUnique(values: Iterable<number>): number[] {
  return [...new Set(values)].sort((a, b) => a - b);
}

/**
 * The rows to store for a name in the side table (one row per value): one value per normalised
 * token and one per token of the Latin diacritic-folded variant, de-duplicated and sorted.
 * Returns `[]` for a name with no tokens (store nothing rather than an "empty name" bucket).
 */
export function nameIndexValues(
  sodium: Sodium,
  key: Uint8Array,
  indexName: string,
  name: string,
  bits: number,
  version = NORMALISATION_VERSION,
): number[] {
  const tokens = normaliseName(name, version);
  const variant = latinFoldedVariant(tokens) ?? [];
  const all = new Set([...tokens, ...variant]);
  return sortedUnique(
    [...all].map((token) => blindIndexValue(sodium, key, indexName, version, token, bits)),
  );
}

/**
 * The values to look up when searching by name: one per distinct query token, in its
 * diacritic-folded form (for non-Latin tokens the token itself). Because stored names carry
 * their folded variant as well, a person matches when their rows contain *every* returned value
 * (`GROUP BY person HAVING count(DISTINCT value) = n`); "Nguyen" and "Nguyễn" both find
 * "Nguyễn". Decryption of the candidates then decides exact or folded matches.
 */
export function nameQueryValues(
  sodium: Sodium,
  key: Uint8Array,
  indexName: string,
  name: string,
  bits: number,
  version = NORMALISATION_VERSION,
): number[] {
  return foldedQueryValues(sodium, key, indexName, foldedNameTokens(name, version), bits, version);
}

/**
 * The distinct diacritic-folded tokens of a name, sorted: what both its query values and its
 * pair values are made of. A lookup folds the name it was given once and hands these to
 * `foldedQueryValues`, `foldedPairValues` and its confirmation, rather than folding it again for
 * each.
 */
export type FoldedNameTokens = readonly string[] & { readonly __folded: unique symbol };

/** `FoldedNameTokens` of `name` under normalisation `version` (empty for a name with no tokens). */
export function foldedNameTokens(name: string, version = NORMALISATION_VERSION): FoldedNameTokens {
  return [...new Set(normaliseName(name, version).map(foldLatinToken))].sort() as string[] &
    FoldedNameTokens;
}

/**
 * Whether every token of a folded query (`want`) is a token of the name `stored`, as written or
 * with its Latin diacritics folded ("Nguyen" is in "Nguyễn Lan"; order, case, form and spacing
 * aside): how a decrypted candidate confirms a name lookup. False for an empty query.
 */
export function nameHoldsTokens(
  stored: string,
  want: FoldedNameTokens,
  version = NORMALISATION_VERSION,
): boolean {
  if (want.length === 0) return false;
  const tokens = normaliseName(stored, version);
  const have = new Set(tokens);
  for (const token of tokens) have.add(foldLatinToken(token));
  return want.every((token) => have.has(token));
}

/** `nameQueryValues` of a name already folded (`foldedNameTokens` under the same `version`). */
export function foldedQueryValues(
  sodium: Sodium,
  key: Uint8Array,
  indexName: string,
  tokens: FoldedNameTokens,
  bits: number,
  version = NORMALISATION_VERSION,
): number[] {
  return sortedUnique(
    tokens.map((token) => blindIndexValue(sodium, key, indexName, version, token, bits)),
  );
}

/**
 * The most distinct folded tokens a name may have and still be pair-indexed: C(8, 2) = 28 rows.
 * A longer name gets no pair rows (`namePairValues` returns null) and is found through its
 * token rows instead.
 */
export const MAX_NAME_PAIR_TOKENS = 8;

/**
 * The pair index of a name: one value per unordered pair of its distinct diacritic-folded tokens,
 * each pair framed as two parts in sorted order (so a pair value never equals a single-token
 * value, and ("ab", "c") ≠ ("a", "bc")). The same function gives the rows to store and the
 * values to search: a person whose folded tokens include every token of a query holds every pair
 * of the query, so a two-token query is one probe into buckets of a few rows, however common
 * each token is on its own ("Nguyen" alone is a large bucket; "Nguyen"+"Lan" is not). Returns
 * `[]` for fewer than two distinct tokens and `null` for more than `MAX_NAME_PAIR_TOKENS` (store
 * a marker instead of C(k, 2) rows; a query that long can only match such names).
 */
export function namePairValues(
  sodium: Sodium,
  key: Uint8Array,
  indexName: string,
  name: string,
  bits: number,
  version = NORMALISATION_VERSION,
): number[] | null {
  return foldedPairValues(sodium, key, indexName, foldedNameTokens(name, version), bits, version);
}

/** `namePairValues` of a name already folded (`foldedNameTokens` under the same `version`). */
export function foldedPairValues(
  sodium: Sodium,
  key: Uint8Array,
  indexName: string,
  tokens: FoldedNameTokens,
  bits: number,
  version = NORMALISATION_VERSION,
): number[] | null {
  if (tokens.length > MAX_NAME_PAIR_TOKENS) return null;
  const values: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    for (let j = i + 1; j < tokens.length; j++) {
      values.push(indexValueOf(sodium, key, indexName, version, [tokens[i]!, tokens[j]!], bits));
    }
  }
  return sortedUnique(values);
}

/** The similar-name rows of a person: phonetic keys of their name's units, and pairs of them. */
export interface SimilarNameValues {
  readonly keys: number[];
  readonly pairs: number[];
}

/** One probe of a similar-name lookup: a pair value and its two key values. */
export interface SimilarNameProbe {
  readonly pair: number;
  readonly a: number;
  readonly b: number;
}

/** The phonetic keys of units, sorted; with `repeat`, a key shared by two units twice. */
function phoneticKeys(units: readonly string[], repeat = false): string[] {
  const keys = [...new Set(units)].map(phoneticKey).filter((k) => k !== '');
  return (repeat ? keys : [...new Set(keys)]).sort();
}

/**
 * Unordered pairs of the keys, each once; a key listed twice pairs with itself, so "Bunmi
 * Bunma" or "Chen Jun" (both of whose tokens share one key) still have a pair.
 */
function keyPairs(keys: readonly string[]): [string, string][] {
  const out = new Map<string, [string, string]>();
  for (let i = 0; i < keys.length; i++) {
    for (let j = i + 1; j < keys.length; j++) {
      out.set(`${keys[i]!}\u0000${keys[j]!}`, [keys[i]!, keys[j]!]);
    }
  }
  return [...out.values()];
}

/**
 * The similar-name index of a stored name (ADR 0010), given its parts (given and family name):
 * one value per distinct phonetic key of its units (`storedNameUnits`: Latin or romanised
 * tokens, split and joined forms) under `keyIndexName`, and one per unordered pair of distinct
 * keys of its base units under `pairIndexName` (framed as two parts, as name pairs are). Values
 * are framed with `PHONETIC_VERSION`, so a change to the keys can never meet old rows.
 */
export function similarNameIndexValues(
  sodium: Sodium,
  keyKey: Uint8Array,
  keyIndexName: string,
  pairKey: Uint8Array,
  pairIndexName: string,
  parts: readonly string[],
  bits: number,
): SimilarNameValues {
  const units = storedNameUnits(parts);
  const keys = phoneticKeys(units.all).map((k) =>
    indexValueOf(sodium, keyKey, keyIndexName, PHONETIC_VERSION, [k], bits),
  );
  const pairs = keyPairs(phoneticKeys(units.base, true)).map((pair) =>
    indexValueOf(sodium, pairKey, pairIndexName, PHONETIC_VERSION, pair, bits),
  );
  return { keys: sortedUnique(keys), pairs: sortedUnique(pairs) };
}

/**
 * What a similar-name lookup probes for a query: for two or more phonetic keys among its units
 * (`queryUnits`), every pair of them with its two key values (a person matches a probe when they
 * hold the pair and both keys); for a query of one key, that key alone (`single`); the value of
 * every key of its units (`keys`, for the fallback through single keys); and `near` probes, one
 * token's key one sound class away with another token's key (the fallback for typos that change
 * a sound).
 */
export function similarNameQueryValues(
  sodium: Sodium,
  keyKey: Uint8Array,
  keyIndexName: string,
  pairKey: Uint8Array,
  pairIndexName: string,
  query: string,
  bits: number,
): {
  probes: SimilarNameProbe[];
  single: number | null;
  keys: number[];
  near: () => SimilarNameProbe[];
} {
  const keys = phoneticKeys(queryUnits(query), true);
  const value = (k: string) =>
    indexValueOf(sodium, keyKey, keyIndexName, PHONETIC_VERSION, [k], bits);
  const all = sortedUnique(keys.map(value));
  // One token's key one class away, with another token's key as it is (typos that change a
  // sound): a fallback, probed only when the pairs themselves find nobody, so computed (some
  // hundreds of values) only when asked for.
  let nearProbes: SimilarNameProbe[] | null = null;
  const nearOf = (): SimilarNameProbe[] => {
    if (nearProbes !== null) return nearProbes;
    const tokenKeys = [...new Set(queryTokens(query).map(phoneticKey))].filter((k) => k !== '');
    const near = new Map<string, SimilarNameProbe>();
    for (const k of tokenKeys) {
      for (const other of tokenKeys) {
        if (other === k) continue;
        for (const n of keyNeighbours(k)) {
          const [a, b] = n < other ? [n, other] : [other, n];
          if (near.size >= MAX_NEAR_PROBES) break;
          near.set(`${a}\u0000${b}`, {
            pair: indexValueOf(sodium, pairKey, pairIndexName, PHONETIC_VERSION, [a, b], bits),
            a: value(a),
            b: value(b),
          });
        }
      }
    }
    nearProbes = [...near.values()];
    return nearProbes;
  };
  if (keys.length === 1) {
    return { probes: [], single: value(keys[0]!), keys: all, near: nearOf };
  }
  const probes = keyPairs(keys).map(([a, b]) => ({
    pair: indexValueOf(sodium, pairKey, pairIndexName, PHONETIC_VERSION, [a, b], bits),
    a: value(a),
    b: value(b),
  }));
  return { probes, single: null, keys: all, near: nearOf };
}

/** The most near probes (one key one class away) a similar-name query makes. */
export const MAX_NEAR_PROBES = 600;

/**
 * A compound index over several values in a fixed order, e.g. (family-name token, birth year).
 * Each part is normalised with `normaliseValue(part, version)` (kind `text`) and framed in
 * order after the version, so ("ab", "c") and ("a", "bc") differ. Needs at least two parts.
 */
export function compoundIndexValue(
  sodium: Sodium,
  key: Uint8Array,
  indexName: string,
  parts: readonly string[],
  bits: number,
  version = NORMALISATION_VERSION,
): number {
  if (parts.length < 2) {
    throw new RangeError('a compound index needs at least two parts');
  }
  const normalised = parts.map((part) => normaliseValue(part, version));
  return indexValueOf(sodium, key, indexName, version, normalised, bits);
}

/**
 * An L-bit value as a signed 32-bit integer (two's complement), for L = 32 in a Postgres
 * `integer` column. Apply it both when storing and when looking up. Identity for L ≤ 31.
 */
export function toSignedInt32(value: number): number {
  return value | 0;
}

// ---------------------------------------------------------------------------------------------
// Planner

/** What `recommendIndexBits` suggests for an index of R rows. */
export interface IndexBitsRecommendation {
  /** L, the number of bits to keep. */
  readonly bits: number;
  /** R / 2^L: the expected number of rows sharing each index value (candidates per lookup). */
  readonly expectedCollisionsPerValue: number;
  /** Whether 2 ≤ R / 2^L ≤ √R holds; false only for R < 4 and R = 5, 6, 7 (no L satisfies both). */
  readonly withinBounds: boolean;
}

function requireRows(rows: number): void {
  if (!Number.isFinite(rows) || rows < 0) {
    throw new RangeError('rows must be a non-negative finite number');
  }
}

/** R / 2^L: the expected number of rows sharing one L-bit index value. */
export function expectedCandidates(rows: number, bits: number): number {
  requireRows(rows);
  requireBits(bits);
  return rows / 2 ** bits;
}

/**
 * Chooses L for an index expected to hold `expectedRows` rows (R: rows of the side table for
 * one organisation and index — tokens and variants, not people — at the size you plan for).
 *
 * The rule is the largest L with R / 2^L ≥ 2: privacy first (every value expected to be shared
 * by at least two rows), then as selective as that allows, so R / 2^L lands in [2, 4). For
 * R ≥ 16 that also satisfies R / 2^L ≤ √R (the lookup-cost bound), since 4 ≤ √R.
 *
 * For small R the two bounds can be incompatible: R < 4 has no L with R / 2^L ≥ 2 at all, and
 * R = 5, 6, 7 have no power of two in [√R, R / 2]. Then the answer is the L that best keeps
 * the lower (privacy) bound — L = 1 for R < 4, i.e. two buckets — with `withinBounds: false`:
 * with so few rows, a lookup returning every row is cheap and reveals nothing. Re-plan as the
 * table grows; coarsening later is free (shift right), refining needs a re-index.
 */
export function recommendIndexBits(expectedRows: number): IndexBitsRecommendation {
  requireRows(expectedRows);
  const rows = expectedRows;
  let bits = MIN_INDEX_BITS;
  while (bits < MAX_INDEX_BITS && rows / 2 ** (bits + 1) >= 2) bits += 1;
  const expected = rows / 2 ** bits;
  return {
    bits,
    expectedCollisionsPerValue: expected,
    withinBounds: expected >= 2 && expected <= Math.sqrt(rows),
  };
}
