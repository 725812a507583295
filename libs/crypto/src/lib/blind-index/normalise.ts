/**
 * Versioned normalisation for blind indexes (docs/design.md §5 "Normalisation").
 *
 * A blind index only finds what normalises to the same string, so these rules are part of the
 * index format: the version is mixed into every index value (see `blind-index.ts`), and a rule
 * change means a new version plus a re-index, never an edit of version 1.
 *
 * Version 1, applied in this order:
 *
 * 1. **Joining punctuation is removed without splitting.** Apostrophe-like characters (' ’ ‘ ‛ ʼ
 *    ʻ ʽ ` ´ ′ ʹ and the full-width ' and `) and the middle dot (·, as in Catalan "l·l") are
 *    deleted, so "O'Brien", "O’Brien" and "OBrien" agree. This runs before NFKC because NFKC
 *    turns ´ (U+00B4) into a space plus a combining accent.
 * 2. **Default-ignorable code points are removed** (ZWJ, ZWNJ, soft hyphen, BOM, bidi controls,
 *    variation selectors, Hangul fillers ...), except ZERO WIDTH SPACE (U+200B), which Thai and
 *    other scripts without spaces use as a word break, so it becomes a separator.
 * 3. **Hangul compatibility jamo are mapped to conjoining jamo before composing.** Half-width
 *    jamo (U+FFA0–U+FFDC) first become compatibility jamo (U+3131–U+318E). A run of modern
 *    compatibility jamo is then read the way a two-set (두벌식) keyboard composes it: a consonant
 *    followed by a vowel is a leading consonant (choseong), a consonant after a vowel and not
 *    followed by a vowel is a trailing consonant (jongseong), vowel pairs (ㅗ+ㅏ → ㅘ ...) and
 *    final clusters (ㄹ+ㄱ → ㄺ ...) combine. The result is emitted as conjoining jamo, which
 *    NFKC then composes into syllables, so "ㄱㅣㅁ" and "김" agree. NFKC alone would not do this:
 *    it maps every compatibility consonant to a *leading* consonant ("ㄱㅣㅁ" → "기ᄆ"). Archaic
 *    compatibility jamo (U+3165–U+318E) are left to NFKC's own mapping.
 * 4. **NFKC** (compatibility composition: full-width Latin, ligatures, superscripts, Thai ำ ...).
 * 5. **Case folding**, as close to Unicode CaseFolding (statuses C + F, non-Turkic) as plain
 *    JavaScript allows: `String.prototype.toLowerCase()` (locale-independent default lowercase
 *    mapping), then the full folds that lowercase does not do: ß and ẞ → "ss", final sigma
 *    ς → σ, and the Greek iota subscript (U+0345, also inside precomposed ᾳ ῃ ῳ ...) → ι. The
 *    simple folds that lowercase misses (ſ, ϐ, ϑ, ϕ, ϖ, ϰ, ϱ, ϵ, ẛ, K, Å ...) are already mapped by
 *    NFKC. Cherokee folds to upper case in Unicode and to lower case here; the equivalence
 *    classes are the same. İ (U+0130) folds to "i" + U+0307 as in Unicode's default folding (no
 *    Turkic special case). NFKC is applied again after folding so the result is stable.
 * 6. **Punctuation, symbols, separators and controls split tokens**: every character in the
 *    Unicode categories P*, S*, Z* (including NBSP and the ideographic space U+3000), Cc (tabs,
 *    newlines) and lone surrogates. Hyphens therefore split ("Núñez-O'Brien" → "núñez",
 *    "obrien"), which also collapses any run of whitespace.
 * 7. **Tokens are de-duplicated and sorted** (UTF-16 code unit order), so name order does not
 *    matter ("Lan Nguyễn" = "Nguyễn Lan").
 *
 * Never done in version 1:
 *
 * - **No mark is stripped.** Thai vowels and tone marks (U+0E31, U+0E34–U+0E3A, U+0E47–U+0E4E)
 *   are combining marks; removing them would merge different names, so "น้อย" and "นอย" stay
 *   different. Latin diacritics are only removed in the optional extra variant
 *   (`latinFoldedVariant`), which is indexed *in addition to* the exact tokens.
 * - **No Han variant conversion.** Simplified and Traditional Chinese are different strings
 *   (陈 ≠ 陳); docs/design.md asks to index both when a variant map is available, and none is. Han is
 *   not split into characters either: "王芳" is one token, "王 芳" two, and a one-character name
 *   (王, 芳) is a token like any other.
 * - **No transliteration** between scripts here (Thai, Hangul and Han tokens never equal a
 *   romanised spelling; the similar-name index of ADR 0010 romanises them in indexes of its own,
 *   `romanise.ts`, and the SLK-581 key asks for the romanised name separately).
 */

/** The normalisation version new index values are computed with. */
export const NORMALISATION_VERSION = 1;

/** Every version this build can still compute (old ones are kept while re-indexing). */
export const SUPPORTED_NORMALISATION_VERSIONS: readonly number[] = [1];

/** The kinds of non-name values `normaliseValue` knows. */
export type ValueKind = 'text' | 'phone' | 'email';

/** Apostrophe-like marks and the middle dot: removed without splitting the token (rule 1). */
const JOINING_PUNCTUATION =
  /['`\u00B4\u00B7\u02B9\u02BB\u02BC\u02BD\u2018\u2019\u201B\u2032\uFF07\uFF40]/gu;

/** Default-ignorable code points (rule 2); U+200B is turned into a space before this runs. */
const DEFAULT_IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;

/** Token separators (rule 6). */
const SEPARATORS = /[\p{P}\p{S}\p{Z}\p{Cc}\p{Cs}]+/u;

function requireVersion(version: number): void {
  if (!SUPPORTED_NORMALISATION_VERSIONS.includes(version)) {
    throw new RangeError('unsupported normalisation version');
  }
}

function requireText(input: unknown): asserts input is string {
  if (typeof input !== 'string') throw new TypeError('expected a string');
}

// ---------------------------------------------------------------------------------------------
// Hangul (rule 3)

const COMPAT_CONSONANT_FIRST = 0x3131; // ㄱ
const COMPAT_CONSONANT_LAST = 0x314e; // ㅎ
const COMPAT_VOWEL_FIRST = 0x314f; // ㅏ
const COMPAT_VOWEL_LAST = 0x3163; // ㅣ
const CHOSEONG_BASE = 0x1100;
const JUNGSEONG_BASE = 0x1161;
const JONGSEONG_BASE = 0x11a7; // + trailing index 1..27
const SYLLABLE_FIRST = 0xac00;
const SYLLABLE_LAST = 0xd7a3;

/**
 * For each modern compatibility consonant U+3131 + i: its leading-consonant index (U+1100 + n)
 * or -1 when it cannot lead a syllable (clusters), and its trailing index (U+11A7 + n) or 0 when
 * it cannot end one (ㄸ ㅃ ㅉ).
 */
const CONSONANTS: readonly (readonly [lead: number, trail: number])[] = [
  [0, 1], // ㄱ
  [1, 2], // ㄲ
  [-1, 3], // ㄳ
  [2, 4], // ㄴ
  [-1, 5], // ㄵ
  [-1, 6], // ㄶ
  [3, 7], // ㄷ
  [4, 0], // ㄸ
  [5, 8], // ㄹ
  [-1, 9], // ㄺ
  [-1, 10], // ㄻ
  [-1, 11], // ㄼ
  [-1, 12], // ㄽ
  [-1, 13], // ㄾ
  [-1, 14], // ㄿ
  [-1, 15], // ㅀ
  [6, 16], // ㅁ
  [7, 17], // ㅂ
  [8, 0], // ㅃ
  [-1, 18], // ㅄ
  [9, 19], // ㅅ
  [10, 20], // ㅆ
  [11, 21], // ㅇ
  [12, 22], // ㅈ
  [13, 0], // ㅉ
  [14, 23], // ㅊ
  [15, 24], // ㅋ
  [16, 25], // ㅌ
  [17, 26], // ㅍ
  [18, 27], // ㅎ
];

/** Vowel pairs typed as two keys, by vowel index (U+314F + i): "a,b" → combined index. */
const VOWEL_PAIRS: ReadonlyMap<string, number> = new Map([
  ['8,0', 9], // ㅗ+ㅏ → ㅘ
  ['8,1', 10], // ㅗ+ㅐ → ㅙ
  ['8,20', 11], // ㅗ+ㅣ → ㅚ
  ['13,4', 14], // ㅜ+ㅓ → ㅝ
  ['13,5', 15], // ㅜ+ㅔ → ㅞ
  ['13,20', 16], // ㅜ+ㅣ → ㅟ
  ['18,20', 19], // ㅡ+ㅣ → ㅢ
]);

/** Final clusters typed as two keys, by consonant index (U+3131 + i): "a,b" → cluster index. */
const FINAL_CLUSTERS: ReadonlyMap<string, number> = new Map([
  ['0,20', 2], // ㄱ+ㅅ → ㄳ
  ['3,23', 4], // ㄴ+ㅈ → ㄵ
  ['3,29', 5], // ㄴ+ㅎ → ㄶ
  ['8,0', 9], // ㄹ+ㄱ → ㄺ
  ['8,16', 10], // ㄹ+ㅁ → ㄻ
  ['8,17', 11], // ㄹ+ㅂ → ㄼ
  ['8,20', 12], // ㄹ+ㅅ → ㄽ
  ['8,27', 13], // ㄹ+ㅌ → ㄾ
  ['8,28', 14], // ㄹ+ㅍ → ㄿ
  ['8,29', 15], // ㄹ+ㅎ → ㅀ
  ['17,20', 19], // ㅂ+ㅅ → ㅄ
]);

function consonantIndex(cp: number | undefined): number {
  return cp !== undefined && cp >= COMPAT_CONSONANT_FIRST && cp <= COMPAT_CONSONANT_LAST
    ? cp - COMPAT_CONSONANT_FIRST
    : -1;
}

function vowelIndex(cp: number | undefined): number {
  return cp !== undefined && cp >= COMPAT_VOWEL_FIRST && cp <= COMPAT_VOWEL_LAST
    ? cp - COMPAT_VOWEL_FIRST
    : -1;
}

/** Half-width Hangul (U+FFA0–U+FFDC) → compatibility jamo; the table is regular by block. */
function halfwidthToCompatibility(cp: number): number {
  if (cp === 0xffa0) return 0x3164; // filler
  if (cp >= 0xffa1 && cp <= 0xffbe) return cp - 0xffa1 + 0x3131; // consonants
  if (cp >= 0xffc2 && cp <= 0xffc7) return cp - 0xffc2 + 0x314f; // ㅏ..ㅔ
  if (cp >= 0xffca && cp <= 0xffcf) return cp - 0xffca + 0x3155; // ㅕ..ㅚ
  if (cp >= 0xffd2 && cp <= 0xffd7) return cp - 0xffd2 + 0x315b; // ㅛ..ㅠ
  if (cp >= 0xffda && cp <= 0xffdc) return cp - 0xffda + 0x3161; // ㅡ..ㅣ
  return cp;
}

/**
 * Rewrites runs of compatibility jamo as conjoining jamo (rule 3). Everything else passes
 * through unchanged; NFKC composes the output.
 */
export function composeCompatibilityJamo(input: string): string {
  if (!/[\u3131-\u3163\uFFA0-\uFFDC]/u.test(input)) return input;
  const cps = Array.from(input, (ch) => halfwidthToCompatibility(ch.codePointAt(0)!));
  const out: number[] = [];
  /** True when the last code point written is a syllable (or L+V) that could take a final. */
  let open = false;
  let i = 0;

  /** Reads an optional final consonant (and cluster) at `i`; returns the new position. */
  const takeFinal = (start: number): number => {
    let pos = start;
    const first = consonantIndex(cps[pos]);
    if (first < 0 || vowelIndex(cps[pos + 1]) >= 0) return pos;
    let trailer = first;
    if (CONSONANTS[trailer]![1] === 0) return pos; // ㄸ ㅃ ㅉ never end a syllable
    pos += 1;
    const second = consonantIndex(cps[pos]);
    const cluster = FINAL_CLUSTERS.get(`${trailer},${second}`);
    if (second >= 0 && cluster !== undefined && vowelIndex(cps[pos + 1]) < 0) {
      trailer = cluster;
      pos += 1;
    }
    out.push(JONGSEONG_BASE + CONSONANTS[trailer]![1]);
    return pos;
  };

  while (i < cps.length) {
    const cp = cps[i]!;
    const consonant = consonantIndex(cp);
    const lead = consonant >= 0 ? CONSONANTS[consonant]![0] : -1;
    if (lead >= 0 && vowelIndex(cps[i + 1]) >= 0) {
      // Leading consonant + vowel (+ second vowel of a pair) (+ final consonant or cluster).
      out.push(CHOSEONG_BASE + lead);
      let vowel = vowelIndex(cps[i + 1]);
      i += 2;
      const pair = VOWEL_PAIRS.get(`${vowel},${vowelIndex(cps[i])}`);
      if (pair !== undefined) {
        vowel = pair;
        i += 1;
      }
      out.push(JUNGSEONG_BASE + vowel);
      const after = takeFinal(i);
      open = after === i;
      i = after;
      continue;
    }
    if (consonant >= 0 && open) {
      // A final typed after an already composed open syllable ("기" + "ㅁ" → "김").
      const after = takeFinal(i);
      if (after !== i) {
        open = false;
        i = after;
        continue;
      }
    }
    out.push(cp);
    open = cp >= SYLLABLE_FIRST && cp <= SYLLABLE_LAST && (cp - SYLLABLE_FIRST) % 28 === 0;
    i += 1;
  }
  return out.map((cp) => String.fromCodePoint(cp)).join('');
}

// ---------------------------------------------------------------------------------------------
// Case folding (rule 5)

/** Case folding as described in rule 5 of the module comment. Input and output are NFKC. */
export function caseFold(input: string): string {
  let out = input.toLowerCase().replace(/ß/gu, 'ss').replace(/ς/gu, 'σ');
  if (out.includes('\u0345') || /[\u1F80-\u1FFF]/u.test(out)) {
    out = out.normalize('NFD').replace(/\u0345/gu, 'ι');
  }
  return out.normalize('NFKC');
}

// ---------------------------------------------------------------------------------------------
// Names

function sortUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

/** Only ASCII: no Unicode normal form, fold or ignorable changes such text (fast paths below). */
// eslint-disable-next-line no-control-regex -- every ASCII code point, control characters too
const ASCII_ONLY = /^[\x00-\x7F]*$/;

function normaliseText(input: string): string {
  // For ASCII, NFKC and the fold's extra rules are the identity and no code point is a
  // default-ignorable or Hangul jamo: only the joining punctuation and the case are left.
  if (ASCII_ONLY.test(input)) return input.replace(JOINING_PUNCTUATION, '').toLowerCase();
  let text = input.replace(JOINING_PUNCTUATION, '');
  text = text.replace(/\u200B/gu, ' ').replace(DEFAULT_IGNORABLE, '');
  text = composeCompatibilityJamo(text).normalize('NFKC');
  text = caseFold(text);
  // NFKC and folding can produce joining punctuation (＇ → ') or ignorables: apply 1 and 2 again.
  return text.replace(JOINING_PUNCTUATION, '').replace(DEFAULT_IGNORABLE, '');
}

/**
 * The name tokens of `input` under normalisation `version` (rules above): sorted, unique, and
 * independent of case, spacing, Unicode normal form and the order of name parts. Returns `[]`
 * when nothing is left (empty or punctuation-only input).
 */
export function normaliseName(input: string, version = NORMALISATION_VERSION): string[] {
  requireVersion(version);
  requireText(input);
  return sortUnique(
    normaliseText(input)
      .split(SEPARATORS)
      .filter((token) => token.length > 0),
  );
}

/**
 * The name tokens of `input` in the order they were written (same rules as `normaliseName`,
 * without sorting or de-duplication): what the similar-name tokens need to join "Min-jun" into
 * "minjun" or split a family name from a given name.
 */
export function nameTokensInOrder(input: string, version = NORMALISATION_VERSION): string[] {
  requireVersion(version);
  requireText(input);
  return normaliseText(input)
    .split(SEPARATORS)
    .filter((token) => token.length > 0);
}

// ---------------------------------------------------------------------------------------------
// Latin diacritic-folded variant

/** Latin letters that NFD does not decompose, folded to their base letters. */
const LATIN_LETTER_FOLDS: ReadonlyMap<string, string> = new Map([
  ['đ', 'd'],
  ['Đ', 'D'],
  ['ð', 'd'],
  ['Ð', 'D'],
  ['ø', 'o'],
  ['Ø', 'O'],
  ['ł', 'l'],
  ['Ł', 'L'],
  ['æ', 'ae'],
  ['Æ', 'AE'],
  ['œ', 'oe'],
  ['Œ', 'OE'],
  ['ß', 'ss'],
  ['ẞ', 'SS'],
  ['þ', 'th'],
  ['Þ', 'TH'],
  ['ħ', 'h'],
  ['Ħ', 'H'],
  ['ı', 'i'],
]);
const LATIN_LETTER_FOLD_RE = new RegExp(`[${[...LATIN_LETTER_FOLDS.keys()].join('')}]`, 'gu');

const LATIN_ONLY = /^[\p{Script=Latin}\p{Script=Common}\p{Script=Inherited}]+$/u;
const HAS_LATIN = /\p{Script=Latin}/u;

/** True when every character of `token` is Latin, Common or Inherited and one is Latin. */
export function isLatinToken(token: string): boolean {
  return LATIN_ONLY.test(token) && HAS_LATIN.test(token);
}

/**
 * One token without its Latin diacritics: NFD, drop U+0300–U+036F, fold đ ð ø ł æ œ ß þ ħ ı,
 * NFC. Tokens not written in Latin script (Thai, Hangul, Han, Vietnamese is Latin) are returned
 * unchanged: their marks are letters, not decoration.
 */
export function foldLatinToken(token: string): string {
  // ASCII has no diacritics and none of the letters folded below.
  if (ASCII_ONLY.test(token) || !isLatinToken(token)) return token;
  return token
    .normalize('NFD')
    .replace(/[\u0300-\u036F]/gu, '')
    .replace(LATIN_LETTER_FOLD_RE, (ch) => LATIN_LETTER_FOLDS.get(ch) ?? ch)
    .normalize('NFC');
}

/**
 * The diacritic-folded variant of a normalised token list ("nguyễn", "thị" → "nguyen", "thi"),
 * sorted and unique, or `null` when folding changes nothing. Index it *in addition to* the exact
 * tokens so "Nguyen Thi Lan" finds "Nguyễn Thị Lan"; decryption then shows the exact spelling.
 */
export function latinFoldedVariant(tokens: readonly string[]): string[] | null {
  const exact = sortUnique(tokens);
  const folded = sortUnique(exact.map(foldLatinToken));
  const same = folded.length === exact.length && folded.every((token, i) => token === exact[i]);
  return same ? null : folded;
}

// ---------------------------------------------------------------------------------------------
// Other values

/** Decimal digits of scripts NFKC leaves alone, by the code point of their zero. */
const DIGIT_ZEROS: readonly number[] = [
  0x0660, // Arabic-Indic
  0x06f0, // Extended Arabic-Indic (Persian, Urdu)
  0x0966, // Devanagari
  0x09e6, // Bengali
  0x0a66, // Gurmukhi
  0x0ae6, // Gujarati
  0x0be6, // Tamil
  0x0e50, // Thai
  0x0ed0, // Lao
  0x0f20, // Tibetan
  0x1040, // Myanmar
  0x17e0, // Khmer
  0x1810, // Mongolian
];

function asciiDigit(ch: string): string {
  if (ch >= '0' && ch <= '9') return ch;
  const cp = ch.codePointAt(0)!;
  for (const zero of DIGIT_ZEROS) {
    if (cp >= zero && cp <= zero + 9) return String(cp - zero);
  }
  return ch; // another script's digit: kept as itself, still deterministic
}

/**
 * Phone numbers: NFKC (full-width digits and ＋ become ASCII), every decimal digit of any script
 * mapped to ASCII where known (Thai ๐–๙, Arabic-Indic, Devanagari, Myanmar, Khmer ...), then
 * digits only; a leading "+" (the first non-space character) is kept because "+61 4…" and
 * "04…" are different strings to a human too. Nothing is inferred: no country code is added
 * and "00" is not rewritten to "+" (international prefixes differ by country). The API should
 * convert to E.164 first when it knows the organisation's country. Returns "" without digits.
 */
function normalisePhone(input: string): string {
  const text = input.normalize('NFKC').replace(DEFAULT_IGNORABLE, '');
  const digits = Array.from(text.matchAll(/\p{Nd}/gu), (m) => asciiDigit(m[0])).join('');
  if (digits.length === 0) return '';
  return text.trimStart().startsWith('+') ? `+${digits}` : digits;
}

/**
 * E-mail addresses: NFKC, case fold (the local part is case-sensitive in theory and never in
 * practice), no whitespace or ignorables anywhere. Punctuation is kept: it is significant.
 */
function normaliseEmail(input: string): string {
  return caseFold(input.normalize('NFKC'))
    .replace(DEFAULT_IGNORABLE, '')
    .replace(/[\p{Z}\p{Cc}]+/gu, '');
}

/**
 * Non-name values, as one string:
 *
 * - `text` (default; aliases, working names, compound-index parts): the name tokens joined by
 *   one space, i.e. the same bag of tokens as `normaliseName` ("Canary Bird" = "bird  CANARY").
 * - `phone`: see `normalisePhone` above (digits, leading "+" kept).
 * - `email`: folded, whitespace removed.
 *
 * Returns "" when nothing is left; the index functions refuse an empty value.
 */
export function normaliseValue(
  input: string,
  version = NORMALISATION_VERSION,
  kind: ValueKind = 'text',
): string {
  requireVersion(version);
  requireText(input);
  switch (kind) {
    case 'text':
      return normaliseName(input, version).join(' ');
    case 'phone':
      return normalisePhone(input);
    case 'email':
      return normaliseEmail(input);
  }
}
