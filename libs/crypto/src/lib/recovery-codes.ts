import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { concat, utf8 } from './bytes';

/**
 * MFA recovery codes (look-up secrets, ASVS 6.5.x): shown once at enrolment, stored only as
 * hashes, each accepted once (the caller deletes or marks the matching hash in the same
 * transaction that signs the user in).
 */

/** Crockford's base32 digits: 0–9 and A–Z without I, L, O and U. */
export const RECOVERY_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Characters per code, 5 random bits each. */
export const RECOVERY_CODE_LENGTH = 25;
export const RECOVERY_CODE_BITS = RECOVERY_CODE_LENGTH * 5;
/** Codes are shown in groups of five separated by hyphens: `XXXXX-XXXXX-XXXXX-XXXXX-XXXXX`. */
export const RECOVERY_CODE_GROUP = 5;
export const DEFAULT_RECOVERY_CODE_COUNT = 10;
export const RECOVERY_CODE_HASH_DOMAIN = 'harbour.recovery-code/v1';
export const RECOVERY_CODE_HASH_BYTES = 32;

const MAX_COUNT = 100;
/** Longer input is not a recovery code however it is spaced; refuse it before any work. */
const MAX_INPUT_LENGTH = 64;
/** Spaces, hyphens, and the look-alike dashes that word processors and phones substitute. */
const SEPARATORS = /[\s\-\u2010-\u2015\u2212]/g;
const CANONICAL = new RegExp(`^[0-9A-HJKMNP-TV-Z]{${RECOVERY_CODE_LENGTH}}$`);
const HASH_PREFIX = concat([utf8(RECOVERY_CODE_HASH_DOMAIN), Uint8Array.of(0)]);
/** What input that is not a code hashes: 0x01 where codes have 0x00, so no code hashes to it. */
const MALFORMED_MESSAGE = concat([utf8(RECOVERY_CODE_HASH_DOMAIN), Uint8Array.of(1)]);

function generateOne(): string {
  const random = randomBytes(RECOVERY_CODE_LENGTH);
  let code = '';
  for (let i = 0; i < RECOVERY_CODE_LENGTH; i++) {
    if (i > 0 && i % RECOVERY_CODE_GROUP === 0) code += '-';
    // 256 is a multiple of 32, so the low five bits of a random byte are uniform.
    code += RECOVERY_CODE_ALPHABET[random[i]! & 0x1f];
  }
  random.fill(0);
  return code;
}

/**
 * `count` distinct codes like `7Q2M9-XZT4R-…`, each 125 bits from the operating system's CSPRNG
 * (`node:crypto.randomBytes`).
 */
export function generateRecoveryCodes(count: number = DEFAULT_RECOVERY_CODE_COUNT): string[] {
  if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) {
    throw new RangeError(`count is an integer from 1 to ${MAX_COUNT}`);
  }
  const codes = new Set<string>();
  while (codes.size < count) codes.add(generateOne());
  return [...codes];
}

/**
 * The canonical form of a typed code, or `null` if it cannot be one: separators (spaces,
 * hyphens) removed, upper-cased, and Crockford's look-alikes mapped (`O` → `0`, `I` and `L` →
 * `1`). Only ASCII letters and digits are considered, so no Unicode case mapping can turn
 * another character into a code character. `U` stays invalid.
 */
export function normaliseRecoveryCode(code: string): string | null {
  if (typeof code !== 'string' || code.length > MAX_INPUT_LENGTH) return null;
  const compact = code.replace(SEPARATORS, '');
  if (!/^[0-9A-Za-z]*$/.test(compact)) return null;
  const canonical = compact.toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1');
  return CANONICAL.test(canonical) ? canonical : null;
}

function digest(canonical: string): Buffer {
  return createHash('sha256').update(HASH_PREFIX).update(utf8(canonical)).digest();
}

/**
 * `SHA-256("harbour.recovery-code/v1" ‖ 0x00 ‖ canonical code)`: the value to store, and to look
 * up (`WHERE code_hash = $1 AND used_at IS NULL`). Input that is not a recovery code at all (see
 * {@link normaliseRecoveryCode}) hashes to one fixed value that no code has, so such a lookup
 * finds nothing instead of throwing on user input.
 *
 * Why a fast hash: a recovery code is not chosen by a person. It is uniformly random, so there
 * is no dictionary of likely values for a slow, salted hash to make expensive, and online
 * guessing is bounded by the sign-in rate limits (T3) and by each code working once. The domain
 * prefix keeps these hashes from being reusable as any other hash in the system.
 *
 * Offline search after a database leak is covered by length: ASVS v5.0.0-6.5.2 (and NIST
 * SP 800-63B §5.1.2.1) accept an unsalted standard hash for look-up secrets of at least 112 bits,
 * and a code here is {@link RECOVERY_CODE_LENGTH} characters of 5 bits each
 * ({@link RECOVERY_CODE_BITS} = 125 bits), so searching the code space is out of reach.
 */
export function hashRecoveryCode(code: string): Uint8Array {
  const canonical = normaliseRecoveryCode(code);
  const hash =
    canonical === null
      ? createHash('sha256').update(MALFORMED_MESSAGE).digest()
      : digest(canonical);
  return new Uint8Array(hash);
}

/**
 * Whether a typed code matches a stored hash, compared in constant time. Malformed input (not a
 * recovery code at all) is simply `false`: whether input is well-formed reveals nothing secret.
 */
export function recoveryCodeMatches(code: string, hash: Uint8Array): boolean {
  if (!(hash instanceof Uint8Array) || hash.length !== RECOVERY_CODE_HASH_BYTES) return false;
  const canonical = normaliseRecoveryCode(code);
  if (canonical === null) return false;
  return timingSafeEqual(digest(canonical), hash);
}
