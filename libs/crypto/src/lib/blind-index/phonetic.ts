import { foldLatinToken, isLatinToken, nameTokensInOrder } from './normalise';
import { romaniseToken } from './romanise';

/**
 * Similar-name forms (ADR 0010): the Latin spelling of every name token (romanised when written
 * in Thai, Hangul or Han), the "units" a lookup can meet (tokens, a Han or Hangul name split into
 * family syllable and given name, name parts joined), their phonetic keys, and the tolerant
 * comparison that confirms a candidate after decryption. Only keys derived from these are
 * stored, and only keyed and truncated (blind-index.ts).
 */

/** Bumped whenever a phonetic key or unit changes: it is framed into every similar-name value. */
export const PHONETIC_VERSION = 1;

const VOWELS = new Set(['a', 'e', 'i', 'o', 'u']);

/**
 * A compact Double Metaphone-style key of a Latin word: the consonant skeleton in sound classes,
 * written for the spellings Harbour's communities meet — P (p b, ph), T (t d, th), K (k g c q,
 * kh, ck), F (f v), S (s z c before e/i/y, x at the start, sh, sch, hs), J (j ch tch zh, q not
 * before u), L (l r: Thai, Korean and Lao speakers exchange them), M, N (n, ng, ny), H (initial
 * h); a word starting with a vowel, w or y starts with A; later vowels, w, y and h are dropped,
 * and a doubled letter counts once. "Somchai", "Somchay" → SMJ; "Gim", "Kim" → KM;
 * "Nguyen", "Nguyễn" → NN; "Xiuying", "Siuying" → SN; "Park", "Bak" → PLK / PK.
 * Returns "" for a word without Latin letters.
 */
export function phoneticKey(word: string): string {
  let s = foldLatinToken(word.toLowerCase())
    .toLowerCase()
    .replace(/[^a-z]/gu, '');
  if (s === '') return '';
  s = s.replace(/^(kn|gn|pn|wr|ps)/u, (m) => m[1]!).replace(/^(hs|x)/u, 's');
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    const next = s[i + 1];
    if (i > 0 && c === s[i - 1] && !VOWELS.has(c)) continue;
    let code = '';
    let skip = 0;
    if (VOWELS.has(c) || c === 'w' || c === 'y') code = i === 0 ? 'A' : '';
    else if (c === 'h') code = i === 0 ? 'H' : '';
    else if (c === 'p' || c === 'b') code = 'P';
    else if (c === 'f' || c === 'v') code = 'F';
    else if (c === 't' && next === 'c' && s[i + 2] === 'h') [code, skip] = ['J', 2];
    else if (c === 't' || c === 'd') code = 'T';
    else if (c === 'c') {
      if (next === 'h') [code, skip] = ['J', 1];
      else if (next === 'e' || next === 'i' || next === 'y') code = 'S';
      else code = 'K';
    } else if (c === 'q') code = next === 'u' ? 'K' : 'J';
    else if (c === 'k' || c === 'g') code = 'K';
    else if (c === 'z') [code, skip] = next === 'h' ? ['J', 1] : ['S', 0];
    else if (c === 'j') code = 'J';
    else if (c === 's') {
      if (next === 'h') [code, skip] = ['S', 1];
      else if (next === 'c' && s[i + 2] === 'h') [code, skip] = ['S', 2];
      else code = 'S';
    } else if (c === 'x') code = 'KS';
    else if (c === 'l' || c === 'r') code = 'L';
    else if (c === 'm') code = 'M';
    else if (c === 'n') [code, skip] = next === 'g' || next === 'y' ? ['N', 1] : ['N', 0];
    if (code !== '' && !out.endsWith(code)) out += code;
    i += skip;
  }
  return out;
}

/**
 * Customary Latin spellings of Korean family names, written as Revised Romanisation gives them
 * from Hangul ("Park" is how 박 is usually spelled; RR writes "bak"), so that either meets 박.
 * Only spellings that no other community commonly uses for another name are listed.
 */
const KOREAN_FAMILY_SPELLINGS: ReadonlyMap<string, string> = new Map([
  ['park', 'bak'],
  ['pak', 'bak'],
  ['rhee', 'li'],
  ['yi', 'li'],
  ['lee', 'li'],
  ['i', 'li'],
  ['choi', 'choe'],
  ['jung', 'jeong'],
  ['chung', 'jeong'],
  ['yoon', 'yun'],
  ['lim', 'im'],
  ['rim', 'im'],
  ['kang', 'gang'],
  ['cho', 'jo'],
  ['shin', 'sin'],
  ['ryu', 'yu'],
  ['yoo', 'yu'],
  ['kwon', 'gwon'],
  ['koo', 'gu'],
  ['goo', 'gu'],
  ['chang', 'jang'],
]);

/** The Latin form of each token of one name part, in order ([] for a token we cannot read). */
function latinParts(text: string): string[][] {
  return nameTokensInOrder(text).map((token) => {
    if (isLatinToken(token)) {
      const folded = foldLatinToken(token).replace(/[^a-z]/gu, '');
      if (folded === '') return [];
      return [KOREAN_FAMILY_SPELLINGS.get(folded) ?? folded];
    }
    // 이 romanises to "i", written Lee, Yi or Rhee and meeting 李 "li" as "li".
    return (romaniseToken(token) ?? []).map((syllable) => (syllable === 'i' ? 'li' : syllable));
  });
}

/**
 * A looser spelling for comparison only: doubled vowels and "ee"/"oo" as single ones (Thai and
 * Korean romanisations: "Boonmee"/"Bunmi", "Yoon"/"Yun"), aspirate h after p, t, k dropped
 * ("Phim"/"Pim", "Thongkham"/"Tongkham"), v as w, a final y as i, doubled letters once.
 */
function loose(word: string): string {
  return word
    .replace(/ee|ii/gu, 'i')
    .replace(/oo|uu|ou/gu, 'u')
    .replace(/([ptk])h/gu, '$1')
    .replace(/v/gu, 'w')
    .replace(/y$/u, 'i')
    .replace(/(.)\1+/gu, '$1');
}

/** How many units a name may give (longer names keep their first ones). */
const MAX_UNITS = 12;

/**
 * The units of a stored name, given its parts (given name, family name, in any order): every
 * token's Latin form, for a romanised Han or Hangul token of two or more syllables also its
 * first syllable and the rest joined ("김민준" → gimminjun, gim, minjun), each part of two or more
 * tokens joined ("Min-jun" → minjun), and the whole name joined in both orders of the parts.
 * `base` excludes the whole-name joins (pairs are made of base units only).
 */
export function storedNameUnits(parts: readonly string[]): { base: string[]; all: string[] } {
  const base: string[] = [];
  const joinedParts: string[] = [];
  for (const part of parts) {
    const tokens = latinParts(part).filter((t) => t.length > 0);
    for (const syllables of tokens) {
      base.push(syllables.join(''));
      if (syllables.length >= 2) {
        base.push(syllables[0]!, syllables.slice(1).join(''));
      }
    }
    const joined = tokens.map((t) => t.join('')).join('');
    if (tokens.length >= 2) base.push(joined);
    if (joined !== '') joinedParts.push(joined);
  }
  const all = [...base];
  if (joinedParts.length >= 2) {
    all.push(joinedParts.join(''), [...joinedParts].reverse().join(''));
  }
  const unique = (xs: string[]) => [...new Set(xs)].slice(0, MAX_UNITS);
  return { base: unique(base), all: unique(all) };
}

/** The Latin forms of a query's tokens in typed order; a CJK token of 2+ syllables splits. */
export function queryTokens(query: string): string[] {
  const out: string[] = [];
  for (const syllables of latinParts(query)) {
    if (syllables.length === 0) continue;
    if (syllables.length >= 2) out.push(syllables[0]!, syllables.slice(1).join(''));
    else out.push(syllables[0]!);
  }
  return out.slice(0, 6);
}

/** A query's units: its tokens, adjacent tokens joined, and the whole query joined. */
export function queryUnits(query: string): string[] {
  const tokens = queryTokens(query);
  const units = [...tokens];
  for (let i = 0; i + 1 < tokens.length; i++) units.push(tokens[i]! + tokens[i + 1]!);
  if (tokens.length > 2) units.push(tokens.join(''));
  return [...new Set(units)];
}

/** The sound classes a phonetic key is written in (besides the initial A and H). */
const KEY_CLASSES = ['P', 'T', 'K', 'F', 'S', 'J', 'L', 'M', 'N'];

/**
 * Every key one class away from `key` (one class deleted, replaced or inserted): what a typo,
 * a missing or an extra letter that changes the sound does to a key. Computed for a query only;
 * nothing more is stored.
 */
export function keyNeighbours(key: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i < key.length; i++) {
    out.add(key.slice(0, i) + key.slice(i + 1));
    for (const c of KEY_CLASSES) out.add(key.slice(0, i) + c + key.slice(i + 1));
  }
  for (let i = 0; i <= key.length; i++) {
    for (const c of KEY_CLASSES) out.add(key.slice(0, i) + c + key.slice(i));
  }
  out.delete(key);
  out.delete('');
  return [...out].filter((k) => !/(.)\1/u.test(k)).sort();
}

/** Optimal-string-alignment distance (a transposition counts one), stopping above `limit`. */
export function editDistance(a: string, b: string, limit = 3): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push([i]);
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        rows[0]!.push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      }
      rows[i]!.push(d);
    }
  }
  return Math.min(rows[a.length]![b.length]!, limit + 1);
}

/**
 * How far a query unit is from a stored unit, or null when they are not similar: equal; one
 * edit (two for words of seven letters or more), also after loosening romanisation spellings;
 * or, for words of three letters or more differing in length by two at most, the same phonetic
 * key and at most 40 % of the longer word edited ("Hyun-woo"/"Hyeonu", "Zhang"/"Chang").
 */
export function unitDistance(query: string, stored: string): number | null {
  if (query === stored) return 0;
  const longest = Math.max(query.length, stored.length);
  const allowed = longest >= 7 ? 2 : longest >= 3 ? 1 : 0;
  const d = editDistance(query, stored, Math.max(allowed, Math.ceil(longest * 0.4)));
  if (d <= allowed) return d;
  const lq = loose(query);
  const ls = loose(stored);
  const dl = lq === ls ? 0 : editDistance(lq, ls, allowed);
  if (dl <= allowed) return dl + 0.5;
  if (longest < 3 || Math.abs(query.length - stored.length) > 2) return null;
  if (d <= Math.ceil(longest * 0.4) && phoneticKey(query) === phoneticKey(stored)) return d + 0.5;
  return null;
}

/**
 * Whether a decrypted name (its parts) is similar to a query, and how far: the query's tokens,
 * in typed order, are cut into runs of adjacent tokens (joined), and every run must be similar to
 * a different unit of the stored name ("Kim Min Jun" = kim + minjun). Returns the smallest total
 * distance over the cuts, or null. A query of one token must not be one letter or two.
 */
export function similarNameDistance(parts: readonly string[], query: string): number | null {
  const tokens = queryTokens(query);
  if (tokens.length === 0 || (tokens.length === 1 && tokens[0]!.length < 3)) return null;
  const stored = storedNameUnits(parts).all;
  if (stored.length === 0) return null;
  let best: number | null = null;
  const cuts = 1 << (tokens.length - 1);
  for (let mask = 0; mask < cuts; mask++) {
    const runs: string[] = [];
    let run = tokens[0]!;
    for (let i = 1; i < tokens.length; i++) {
      if (mask & (1 << (i - 1))) {
        runs.push(run);
        run = tokens[i]!;
      } else run += tokens[i]!;
    }
    runs.push(run);
    const total = assign(runs, stored, new Set());
    if (total !== null && (best === null || total < best)) best = total;
  }
  return best;
}

/** The smallest total distance matching each run to a distinct stored unit (small inputs). */
function assign(
  runs: readonly string[],
  stored: readonly string[],
  used: Set<number>,
): number | null {
  if (runs.length === 0) return 0;
  const [first, ...rest] = runs;
  let best: number | null = null;
  for (let j = 0; j < stored.length; j++) {
    if (used.has(j)) continue;
    const d = unitDistance(first!, stored[j]!);
    if (d === null) continue;
    used.add(j);
    const tail = assign(rest, stored, used);
    used.delete(j);
    if (tail !== null && (best === null || d + tail < best)) best = d + tail;
  }
  return best;
}
