/**
 * Romanisation of name tokens written in Thai, Hangul or Han script, for the similar-name index
 * (ADR 0010): a name typed in Latin letters can then meet the same name stored in its own
 * script, and the reverse. Output is lower-case ASCII, syllable by syllable.
 *
 * - **Hangul → Revised Romanisation**, computed from the jamo of each syllable (initial, vowel,
 *   final; finals written as their representative sound: k, n, t, l, m, p, ng). Sound changes
 *   across syllables (assimilation, liaison) are not applied: names are romanised syllable by
 *   syllable in practice ("Min-jun"). Customary surname spellings (Lee, Park, Choi) are not RR;
 *   the phonetic key reaches some of them (`phonetic.ts`), the rest are a documented limit.
 * - **Thai → RTGS**, by rule: syllables are read as (leading vowel) initial consonant (cluster)
 *   vowel (final consonant); consonants take their RTGS initial or final value, vowels their RTGS
 *   spelling, tone marks are dropped, a letter under the silencer (์) is dropped, and a syllable
 *   without a written vowel gets "o" before a final consonant and "a" otherwise. Limits: Thai
 *   has no word spaces and many Pali/Sanskrit names carry unwritten vowels and silent letters,
 *   so a rule-based reading is right for common given names ("สมชาย" → "somchai") and only
 *   close for long surnames; the tolerant comparison and the phonetic key absorb part of the
 *   difference, not all.
 * - **Han → pinyin without tones** (`pinyin-pro`, with its surname readings for the first
 *   character). Cantonese, Hokkien or Wade–Giles spellings (Wong, Chan, Hsu) are different
 *   sounds, not transliterations: only those the phonetic key happens to join are reached.
 *
 * A token in any other script (or mixing scripts) is not romanised.
 */

/** Romanises one normalised token; `null` when it is not all Thai, all Hangul or all Han. */
export function romaniseToken(token: string): string[] | null {
  if (/^[\u0E01-\u0E4E]+$/u.test(token)) {
    const thai = thaiToRtgs(token);
    return thai === '' ? null : [thai];
  }
  if (/^[\uAC00-\uD7A3]+$/u.test(token)) return hangulToRr(token);
  if (/^\p{Script=Han}+$/u.test(token)) return hanToPinyin(token);
  return null;
}

// ---------------------------------------------------------------------------------------------
// Hangul (Revised Romanisation)

const RR_INITIALS = 'g kk n d tt r m b pp s ss - j jj ch k t p h'.split(' ');
const RR_VOWELS = 'a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i'.split(' ');
/** Finals by trailing index 0..27, as their representative sound. */
const RR_FINALS = '- k k k n n n t l k m l l l p l m p p t t ng t t k t p t'.split(' ');

/** One string per syllable: "김민준" → ["gim", "min", "jun"]. */
export function hangulToRr(token: string): string[] {
  const out: string[] = [];
  let previousFinal = 0;
  for (const ch of token) {
    const index = ch.codePointAt(0)! - 0xac00;
    const initial = Math.floor(index / 588);
    const vowel = Math.floor((index % 588) / 28);
    const final = index % 28;
    // ㄹ after a final ㄹ is "l" (RR: "ll"); otherwise an initial ㄹ is "r".
    let lead = RR_INITIALS[initial]!;
    if (lead === '-') lead = '';
    if (initial === 5 && previousFinal === 8) lead = 'l';
    const tail = RR_FINALS[final]!;
    out.push(lead + RR_VOWELS[vowel]! + (tail === '-' ? '' : tail));
    previousFinal = final;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Han (pinyin)

type PinyinFn = (text: string, options: Record<string, unknown>) => string[];
let pinyinFn: PinyinFn | null = null;

/** Loaded on first use, so that code which never meets a Han name never loads its dictionary. */
function pinyinOf(text: string): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  pinyinFn ??= (require('pinyin-pro') as { pinyin: PinyinFn }).pinyin;
  return pinyinFn(text, { toneType: 'none', type: 'array', surname: 'head', v: false });
}

/** One string per character: "王秀英" → ["wang", "xiu", "ying"] (ü written u). */
export function hanToPinyin(token: string): string[] | null {
  const syllables = pinyinOf(token).map((s) =>
    s
      .normalize('NFD')
      .replace(/[\u0300-\u036F]/gu, '')
      .toLowerCase()
      .replace(/[^a-z]/gu, ''),
  );
  return syllables.length === 0 || syllables.some((s) => s === '') ? null : syllables;
}

// ---------------------------------------------------------------------------------------------
// Thai (RTGS)

/** RTGS initial and final value of each consonant U+0E01..U+0E2E ('' = none). */
const THAI_CONSONANTS: readonly (readonly [string, string])[] = [
  ['k', 'k'], // ก
  ['kh', 'k'], // ข
  ['kh', 'k'], // ฃ
  ['kh', 'k'], // ค
  ['kh', 'k'], // ฅ
  ['kh', 'k'], // ฆ
  ['ng', 'ng'], // ง
  ['ch', 't'], // จ
  ['ch', 't'], // ฉ
  ['ch', 't'], // ช
  ['s', 't'], // ซ
  ['ch', 't'], // ฌ
  ['y', 'n'], // ญ
  ['d', 't'], // ฎ
  ['t', 't'], // ฏ
  ['th', 't'], // ฐ
  ['th', 't'], // ฑ
  ['th', 't'], // ฒ
  ['n', 'n'], // ณ
  ['d', 't'], // ด
  ['t', 't'], // ต
  ['th', 't'], // ถ
  ['th', 't'], // ท
  ['th', 't'], // ธ
  ['n', 'n'], // น
  ['b', 'p'], // บ
  ['p', 'p'], // ป
  ['ph', 'p'], // ผ
  ['f', 'p'], // ฝ
  ['ph', 'p'], // พ
  ['f', 'p'], // ฟ
  ['ph', 'p'], // ภ
  ['m', 'm'], // ม
  ['y', 'i'], // ย
  ['r', 'n'], // ร
  ['rue', ''], // ฤ
  ['l', 'n'], // ล
  ['lue', ''], // ฦ
  ['w', 'o'], // ว
  ['s', 't'], // ศ
  ['s', 't'], // ษ
  ['s', 't'], // ส
  ['h', ''], // ห
  ['l', 'n'], // ฬ
  ['', ''], // อ
  ['h', ''], // ฮ
];

const HO = 0x0e2b; // ห
const O_ANG = 0x0e2d; // อ
const RO = 0x0e23; // ร
const LO = 0x0e25; // ล
const WO = 0x0e27; // ว
const YO = 0x0e22; // ย
const THANTHAKHAT = 0x0e4c; // ์
const NIKHAHIT = 0x0e4d; // ํ (NFKC writes ำ as ํ + า)
const SARA_AA = 0x0e32;
const MAI_HAN_AKAT = 0x0e31; // ั
const SARA_A = 0x0e30; // ะ
const MAITAIKHU = 0x0e47; // ็
/** ห before these is a silent tone marker ("หญิง" ying, "หมวย" muai). */
const LOW_SONORANTS = new Set([0x0e07, 0x0e0d, 0x0e19, 0x0e21, 0x0e22, RO, LO, WO]);
/** Consonants that start the clusters kr kl kw khr khl khw pr pl phr phl tr. */
const CLUSTER_FIRST = new Set([0x0e01, 0x0e02, 0x0e04, 0x0e15, 0x0e1b, 0x0e1c, 0x0e1e]);
/** After these, ร is silent ("จริง" ching, "สร้อย" soi, "ศรี" si). */
const SILENT_RO_AFTER = new Set([0x0e08, 0x0e0b, 0x0e28, 0x0e2a]);
const PRE_VOWELS = new Set([0x0e40, 0x0e41, 0x0e42, 0x0e43, 0x0e44]);
/** Vowel signs written above, below or after the consonant. */
const POST_VOWELS = new Set([
  SARA_A,
  MAI_HAN_AKAT,
  SARA_AA,
  0x0e33,
  0x0e34,
  0x0e35,
  0x0e36,
  0x0e37,
  0x0e38,
  0x0e39,
  MAITAIKHU,
  NIKHAHIT,
]);
const TONE_MARKS = new Set([0x0e48, 0x0e49, 0x0e4a, 0x0e4b, 0x0e4e, 0x0e3a]);

const isConsonant = (cp: number | undefined): cp is number =>
  cp !== undefined && cp >= 0x0e01 && cp <= 0x0e2e && cp !== 0x0e24 && cp !== 0x0e26;

/** The token's RTGS romanisation (one string: Thai names are not split into syllables). */
export function thaiToRtgs(token: string): string {
  // Tone marks and other non-sounding signs go first: they never change RTGS.
  const cs = Array.from(token, (ch) => ch.codePointAt(0)!).filter((cp) => !TONE_MARKS.has(cp));
  let out = '';
  let i = 0;
  /** Whether the consonant at `at` begins a syllable (a vowel sign follows it). */
  const startsSyllable = (at: number): boolean =>
    POST_VOWELS.has(cs[at + 1] ?? -1) ||
    (cs[at + 1] === RO && cs[at + 2] === RO) ||
    (cs[at + 1] === WO && isConsonant(cs[at + 2]) && !POST_VOWELS.has(cs[at + 3] ?? -1)) ||
    (CLUSTER_FIRST.has(cs[at]!) &&
      (cs[at + 1] === RO || cs[at + 1] === LO) &&
      POST_VOWELS.has(cs[at + 2] ?? -1));
  /** A consonant silenced by ์ (with the vowel sign it may carry), or ร after ทร-like pairs. */
  const silencedAt = (at: number): number => {
    if (!isConsonant(cs[at])) return 0;
    if (cs[at + 1] === THANTHAKHAT) return 2;
    if (POST_VOWELS.has(cs[at + 1] ?? -1) && cs[at + 2] === THANTHAKHAT) return 3;
    if (cs[at + 1] === RO && cs[at + 2] === THANTHAKHAT) return 3; // ทร์, ตร์
    return 0;
  };
  while (i < cs.length) {
    const skip = silencedAt(i);
    if (skip > 0) {
      i += skip;
      continue;
    }
    const cp = cs[i]!;
    if (cp === 0x0e24 || cp === 0x0e26) {
      out += cp === 0x0e24 ? 'rue' : 'lue';
      i += 1;
      continue;
    }
    let pre: number | null = null;
    if (PRE_VOWELS.has(cp)) {
      pre = cp;
      i += 1;
    }
    const first = cs[i];
    if (!isConsonant(first)) {
      i += 1; // a stray sign: nothing to read
      continue;
    }
    let initial = THAI_CONSONANTS[first - 0x0e01]![0];
    i += 1;
    const second = cs[i];
    if (
      isConsonant(second) &&
      ((first === HO && LOW_SONORANTS.has(second)) || (first === O_ANG && second === YO))
    ) {
      initial = THAI_CONSONANTS[second - 0x0e01]![0]; // silent leading ห / อ
      i += 1;
    } else if (
      isConsonant(second) &&
      (second === RO || second === LO || second === WO) &&
      (POST_VOWELS.has(cs[i + 1] ?? -1) || (pre !== null && second !== WO)) &&
      (CLUSTER_FIRST.has(first) || SILENT_RO_AFTER.has(first) || first === 0x0e17)
    ) {
      if (first === 0x0e17 && second === RO)
        initial = 's'; // ทร → s
      else if (!(SILENT_RO_AFTER.has(first) && second === RO)) {
        initial += THAI_CONSONANTS[second - 0x0e01]![0];
      }
      i += 1;
    }
    // The vowel.
    let vowel = '';
    const signs: number[] = [];
    while (POST_VOWELS.has(cs[i] ?? -1)) signs.push(cs[i++]!);
    const has = (sign: number): boolean => signs.includes(sign);
    if (pre === 0x0e40) {
      if (has(SARA_AA)) vowel = 'ao';
      else if (has(0x0e35) && cs[i] === YO) {
        vowel = 'ia';
        i += 1;
      } else if (has(0x0e37) && cs[i] === O_ANG) {
        vowel = 'uea';
        i += 1;
      } else if (has(0x0e34)) vowel = 'oe';
      else if (signs.length === 0 && cs[i] === O_ANG) {
        vowel = 'oe';
        i += 1;
      } else vowel = 'e';
    } else if (pre === 0x0e41) vowel = 'ae';
    else if (pre === 0x0e42) vowel = 'o';
    else if (pre === 0x0e43 || pre === 0x0e44) vowel = 'ai';
    else if (has(NIKHAHIT) && has(SARA_AA)) vowel = 'am';
    else if (has(0x0e33)) vowel = 'am';
    else if (has(MAI_HAN_AKAT) && cs[i] === WO) {
      vowel = 'ua';
      i += 1;
    } else if (has(MAI_HAN_AKAT) || has(SARA_A) || has(SARA_AA)) vowel = 'a';
    else if (has(0x0e34) || has(0x0e35)) vowel = 'i';
    else if (has(0x0e36)) vowel = 'ue';
    else if (has(0x0e37)) {
      vowel = 'ue';
      if (cs[i] === O_ANG) i += 1;
    } else if (has(0x0e38) || has(0x0e39)) vowel = 'u';
    else if (signs.length === 0 && cs[i] === O_ANG && !startsSyllable(i)) {
      vowel = 'o';
      i += 1;
    } else if (signs.length === 0 && cs[i] === WO && isConsonant(cs[i + 1]) && !startsSyllable(i)) {
      vowel = 'ua';
      i += 1;
    } else if (signs.length === 0 && cs[i] === RO && cs[i + 1] === RO) {
      // รร: "a" and a final (ธรรม tham), or "an" (สรร san)
      i += 2;
      vowel = isConsonant(cs[i]) && !startsSyllable(i) ? 'a' : 'an';
    } else if (signs.length === 0) {
      const next = cs[i];
      vowel = isConsonant(next) && !startsSyllable(i) && silencedAt(i) === 0 ? 'o' : 'a';
    }
    // The final consonant: a consonant that does not begin the next syllable.
    let final = '';
    const next = cs[i];
    if (vowel !== 'am' && isConsonant(next) && !startsSyllable(i) && silencedAt(i) === 0) {
      final = THAI_CONSONANTS[next - 0x0e01]![1];
      i += 1;
      // Two silent letters after a final ("ลักษณ์" lak): both go.
      if (isConsonant(cs[i]) && isConsonant(cs[i + 1]) && cs[i + 2] === THANTHAKHAT) i += 3;
    }
    if (final === 'i') out += initial + (vowel.endsWith('i') ? vowel : `${vowel}i`);
    else if (final === 'o') out += initial + (vowel === 'a' ? 'ao' : `${vowel}o`);
    else out += initial + vowel + final;
  }
  return out;
}
