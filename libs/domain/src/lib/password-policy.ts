/**
 * Password rules (docs/security.md T2; NIST SP 800-63B §3.1.1.2; ASVS 6.2.x). Pure: shared by the API,
 * which enforces them, and the console, which explains them before submitting.
 *
 * What is deliberately absent: composition rules (no "one digit, one symbol"), forced rotation,
 * hints, and any limit on pasting. Nothing here trims, truncates or rewrites the password; the
 * folded forms below are only compared, never stored or hashed.
 */

/** In Unicode code points. 12 because MFA is always on (ours; 15 is recommended without it). */
export const MIN_PASSWORD_LENGTH = 12;
/** In Unicode code points. Bounds hashing work; far above the 64 that must be accepted. */
export const MAX_PASSWORD_LENGTH = 256;
/** Context words shorter than this are too common inside other words to be refused. */
export const MIN_CONTEXT_WORD_LENGTH = 4;
/** Words that name the service and its sector (T2). */
export const SERVICE_WORDS: readonly string[] = ['harbour', 'harbor', 'outreach'];

export type PasswordProblem =
  'too_short' | 'too_long' | 'common_password' | 'context_word' | 'same_as_current';

export interface PasswordContext {
  readonly organisationName?: string;
  readonly email?: string;
  readonly displayName?: string;
  readonly currentPassword?: string;
}

/**
 * The first problem with `password`, in this order: `too_long`, `too_short`, `same_as_current`,
 * `context_word`, `common_password`; or `null` when it is acceptable.
 *
 * `isCommon` is asked about lower-case candidates only: the whole password and its "bases"
 * (see {@link passwordBases}). The API backs it with a top-10,000 list of breached passwords.
 */
export function checkPassword(
  password: string,
  context: PasswordContext,
  isCommon: (candidate: string) => boolean,
): PasswordProblem | null {
  // A UTF-16 string longer than twice the limit has more code points than the limit: answer
  // before doing any per-character work on hostile input.
  if (password.length > 2 * MAX_PASSWORD_LENGTH) return 'too_long';
  const length = codePointLength(password);
  if (length > MAX_PASSWORD_LENGTH) return 'too_long';
  if (length < MIN_PASSWORD_LENGTH) return 'too_short';

  const folded = fold(password);
  if (context.currentPassword !== undefined && context.currentPassword !== '') {
    if (folded === fold(context.currentPassword)) return 'same_as_current';
  }

  const plain = undoSubstitutions(folded);
  for (const word of contextWords(context)) {
    if (folded.includes(word) || plain.includes(word)) return 'context_word';
  }

  if (isTrivialPattern(folded)) return 'common_password';
  for (const candidate of passwordBases(folded)) {
    if (isCommon(candidate)) return 'common_password';
  }
  return null;
}

function codePointLength(text: string): number {
  let length = 0;
  for (const _ of text) length++;
  return length;
}

/** Compatibility-normalised and lower-cased: "ＰＡＳＳ" and "Pass" compare equal. */
function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

const SPLIT_WORDS = /[^\p{L}\p{M}\p{N}]+/u;
const SPLIT_LOCAL_PART = /[._+-]+/;

function addWord(words: Set<string>, word: string): void {
  const folded = fold(word.trim());
  if (codePointLength(folded) >= MIN_CONTEXT_WORD_LENGTH) words.add(folded);
}

/**
 * "harbour", "outreach", each word of the organisation name, the e-mail local part and its
 * parts (split on `.`, `_`, `-`, `+`), and each word of the display name — those of at least
 * four code points, folded.
 */
export function contextWords(context: PasswordContext): string[] {
  const words = new Set<string>(SERVICE_WORDS);
  for (const word of (context.organisationName ?? '').split(SPLIT_WORDS)) addWord(words, word);
  for (const word of (context.displayName ?? '').split(SPLIT_WORDS)) addWord(words, word);
  const email = context.email ?? '';
  const at = email.lastIndexOf('@');
  const localPart = at < 0 ? email : email.slice(0, at);
  addWord(words, localPart);
  for (const word of localPart.split(SPLIT_LOCAL_PART)) addWord(words, word);
  return [...words];
}

/** The usual look-alike substitutions, undone. */
const SUBSTITUTIONS: Readonly<Record<string, string>> = {
  '4': 'a',
  '@': 'a',
  '3': 'e',
  '1': 'i',
  '0': 'o',
  '5': 's',
  $: 's',
  '7': 't',
};

function undoSubstitutions(text: string): string {
  return text.replace(/[4@3105$7]/g, (c) => SUBSTITUTIONS[c]!);
}

/** Digits, whitespace, punctuation and symbols: what people pad a weak word with. */
const PADDING = /^[\p{N}\p{P}\p{S}\p{Z}\s]$/u;
/** The same, minus the two symbols that usually stand for letters (`@pple`, `$ecret`). */
const PADDING_NOT_LETTER = /^(?![@$])[\p{N}\p{P}\p{S}\p{Z}\s]$/u;
/** The same, minus digits, for listed passwords that end in one (`trustno1!!!`). */
const PADDING_NOT_DIGIT = /^[\p{P}\p{S}\p{Z}\s]$/u;

function stripEdges(text: string, padding: RegExp): string {
  const chars = [...text];
  let start = 0;
  let end = chars.length;
  while (start < end && padding.test(chars[start]!)) start++;
  while (end > start && padding.test(chars[end - 1]!)) end--;
  return chars.slice(start, end).join('');
}

/**
 * The lower-case forms looked up in the common-password list: the password itself and its
 * "base" — padding (leading and trailing digits, whitespace, punctuation) stripped and
 * substitutions undone — tried in the few orders that matter, so that `Password1234!`,
 * `P@ssw0rd2024!!`, `$ecret123`, `4pple99` and `trustno1!!` all reduce to a listed password.
 */
export function passwordBases(foldedPassword: string): string[] {
  const lower = foldedPassword;
  const stripped = stripEdges(lower, PADDING);
  const keptDigits = stripEdges(lower, PADDING_NOT_DIGIT);
  const bases = new Set<string>([
    lower,
    stripped,
    undoSubstitutions(stripped),
    stripEdges(undoSubstitutions(lower), PADDING),
    stripEdges(undoSubstitutions(stripEdges(lower, PADDING_NOT_LETTER)), PADDING),
    keptDigits,
    undoSubstitutions(keptDigits),
  ]);
  bases.delete('');
  return [...bases];
}

/** Runs that people type without thinking; each is also tried backwards and wrapping round. */
const SEQUENCES: readonly string[] = [
  '0123456789',
  'abcdefghijklmnopqrstuvwxyz',
  '1234567890qwertyuiopasdfghjklzxcvbnm', // QWERTY rows, left to right, top to bottom
  'azertyuiopqsdfghjklmwxcvbn', // AZERTY
  'qwertzuiopasdfghjklyxcvbnm', // QWERTZ
  '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p', // QWERTY columns
];

/**
 * A single repeated character, a short unit repeated (`abababababab`), a run of consecutive
 * code points either way (`abcdefghijkl`, `987654321098` wraps too), or a stretch of a keyboard
 * row or column (`qwertyuiopas`).
 */
function isTrivialPattern(folded: string): boolean {
  const chars = [...folded];
  for (let unit = 1; unit <= 4 && unit < chars.length; unit++) {
    if (chars.every((c, i) => c === chars[i % unit])) return true;
  }
  const codes = chars.map((c) => c.codePointAt(0)!);
  for (const direction of [1, -1]) {
    if (codes.every((code, i) => i === 0 || code - (codes[i - 1] ?? 0) === direction)) return true;
  }
  const reversed = [...chars].reverse().join('');
  return SEQUENCES.some((sequence) => {
    const cyclic = sequence.repeat(Math.ceil(chars.length / sequence.length) + 1);
    return cyclic.includes(folded) || cyclic.includes(reversed);
  });
}
