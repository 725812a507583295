import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { writeU32be } from './bytes';

/**
 * TOTP (RFC 6238) as docs/security.md T5 fixes it: HMAC-SHA1, 30-second steps, 6 digits, a 160-bit
 * random seed, ±1 step of clock drift, and every code accepted at most once.
 *
 * SHA-1 is what authenticator apps implement; HMAC-SHA1 is not affected by SHA-1 collisions.
 */
export const TOTP_STEP_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** 160 bits: the HMAC-SHA1 block-output size recommended by RFC 4226 §4 (R6) and ASVS 6.5.x. */
export const TOTP_SECRET_BYTES = 20;
/** Steps either side of the current one that are still accepted (clock drift, typing time). */
export const TOTP_DEFAULT_WINDOW = 1;
/** Upper bound for `window`: more than this is a misconfiguration, not drift. */
const MAX_WINDOW = 10;
export const TOTP_ISSUER = 'Harbour';

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
/** Base32 digit values by character code, both cases; -1 for anything else. */
const BASE32_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 32; i++) {
  BASE32_VALUE[BASE32_ALPHABET.charCodeAt(i)] = i;
  BASE32_VALUE[BASE32_ALPHABET.toLowerCase().charCodeAt(i)] = i;
}

/** A fresh 160-bit TOTP seed from the operating system's CSPRNG. */
export function generateTotpSecret(): Uint8Array {
  const buffer = randomBytes(TOTP_SECRET_BYTES);
  const secret = Uint8Array.from(buffer);
  buffer.fill(0);
  return secret;
}

/** RFC 4648 §6 base32, upper case, without `=` padding (what authenticator apps expect). */
export function encodeBase32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32_ALPHABET[(buffer >>> bits) & 31];
    }
  }
  if (bits > 0) out += BASE32_ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * Decodes RFC 4648 base32: case-insensitive; ASCII whitespace (people type secrets in groups) is
 * ignored; trailing `=` padding is optional. Anything else — another character, padding in the
 * middle, a length no byte string encodes to, or non-zero leftover bits (a non-canonical
 * encoding) — throws a `RangeError`.
 */
export function decodeBase32(text: string): Uint8Array {
  const compact = text.replace(/[ \t\r\n]+/g, '').replace(/=+$/, '');
  // 8 characters carry 5 bytes; a final group of 2, 4, 5 or 7 characters carries 1–4 bytes.
  if ([1, 3, 6].includes(compact.length % 8)) throw new RangeError('invalid base32');
  const out = new Uint8Array(Math.floor((compact.length * 5) / 8));
  let buffer = 0;
  let bits = 0;
  let index = 0;
  for (let i = 0; i < compact.length; i++) {
    const code = compact.charCodeAt(i);
    const value = code < 128 ? BASE32_VALUE[code]! : -1;
    if (value < 0) throw new RangeError('invalid base32');
    buffer = ((buffer << 5) | value) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[index++] = (buffer >>> bits) & 0xff;
    }
  }
  if ((buffer & ((1 << bits) - 1)) !== 0) throw new RangeError('invalid base32');
  return out;
}

function checkSecret(secret: Uint8Array): void {
  if (!(secret instanceof Uint8Array) || secret.length < TOTP_SECRET_BYTES) {
    throw new RangeError(`a TOTP secret has at least ${TOTP_SECRET_BYTES} bytes`);
  }
}

/**
 * HOTP (RFC 4226 §5.3): HMAC-SHA1 over the 8-byte big-endian counter, dynamic truncation to 31
 * bits, then the last `digits` decimal digits, zero-padded. Exported for the RFC test vectors
 * (which use 8 digits); the rest of the code uses {@link totpCode}.
 */
export function hotp(secret: Uint8Array, counter: number, digits: number = TOTP_DIGITS): string {
  checkSecret(secret);
  if (!Number.isSafeInteger(counter) || counter < 0) {
    throw new RangeError('the counter is a non-negative safe integer');
  }
  if (!Number.isInteger(digits) || digits < 6 || digits > 8) {
    throw new RangeError('6 to 8 digits');
  }
  const message = new Uint8Array(8);
  writeU32be(message, 0, Math.floor(counter / 0x1_0000_0000));
  writeU32be(message, 4, counter >>> 0);
  const mac = createHmac('sha1', secret).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary =
    ((mac[offset]! & 0x7f) << 24) |
    (mac[offset + 1]! << 16) |
    (mac[offset + 2]! << 8) |
    mac[offset + 3]!;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The 6-digit code of a time step (`floor(unixSeconds / 30)`). */
export function totpCode(secret: Uint8Array, timeStep: number): string {
  return hotp(secret, timeStep, TOTP_DIGITS);
}

/** The time step that `nowMs` (milliseconds since the Unix epoch) falls in. */
export function totpTimeStep(nowMs: number): number {
  if (!Number.isFinite(nowMs) || nowMs < 0) throw new RangeError('invalid time');
  return Math.floor(nowMs / (TOTP_STEP_SECONDS * 1000));
}

export interface TotpVerifyOptions {
  /** Steps accepted either side of the current one; default 1 (docs/security.md T5). */
  readonly window?: number;
  /** The step of the last code this user had accepted, or `null` if none. */
  readonly lastUsedStep?: number | null;
}

export type TotpFailure = 'malformed' | 'mismatch' | 'replayed';

export type TotpVerification =
  | { readonly ok: true; readonly step: number }
  | { readonly ok: false; readonly reason: TotpFailure };

const CODE = /^(\d{3}) ?(\d{3})$/;

/**
 * Checks a code typed by a person against the steps `now − window … now + window`.
 *
 * - `malformed`: not six ASCII digits after trimming (one space between two groups of three,
 *   as some apps display the code, is allowed).
 * - `replayed`: the code matches a step at or before `lastUsedStep`. Each code is accepted once:
 *   on success the caller must store the returned `step` as the new `lastUsedStep` (atomically,
 *   e.g. `UPDATE … SET totp_last_step = $step WHERE totp_last_step < $step`), which also refuses
 *   every older code still inside the window. If a code matches both a used and an unused step
 *   (a 1-in-a-million coincidence) it is refused: replays never pass.
 * - `mismatch`: no step in the window has this code.
 *
 * Every step in the window is computed and compared with `timingSafeEqual`, with no early exit.
 */
export function verifyTotp(
  secret: Uint8Array,
  code: string,
  nowMs: number,
  options: TotpVerifyOptions = {},
): TotpVerification {
  checkSecret(secret);
  const window = options.window ?? TOTP_DEFAULT_WINDOW;
  if (!Number.isInteger(window) || window < 0 || window > MAX_WINDOW) {
    throw new RangeError(`window is an integer from 0 to ${MAX_WINDOW}`);
  }
  const lastUsedStep = options.lastUsedStep ?? null;
  if (lastUsedStep !== null && !Number.isSafeInteger(lastUsedStep)) {
    throw new RangeError('lastUsedStep is a safe integer or null');
  }
  const current = totpTimeStep(nowMs);

  const match = typeof code === 'string' ? CODE.exec(code.trim()) : null;
  if (match === null) return { ok: false, reason: 'malformed' };
  const given = Buffer.from(`${match[1]}${match[2]}`, 'ascii');

  let accepted = -1;
  let replayed = false;
  for (let step = current - window; step <= current + window; step++) {
    if (step < 0) continue;
    const expected = Buffer.from(totpCode(secret, step), 'ascii');
    const equal = timingSafeEqual(expected, given);
    if (equal && lastUsedStep !== null && step <= lastUsedStep) replayed = true;
    else if (equal) accepted = step;
  }
  if (replayed) return { ok: false, reason: 'replayed' };
  if (accepted < 0) return { ok: false, reason: 'mismatch' };
  return { ok: true, step: accepted };
}

/** RFC 3986 percent-encoding: `encodeURIComponent` plus the sub-delimiters it leaves alone. */
function encodeUriPart(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export interface OtpauthUriInput {
  readonly secret: Uint8Array;
  readonly accountName: string;
  /** Defaults to `Harbour`. */
  readonly issuer?: string;
}

/**
 * The `otpauth://totp/…` URI an authenticator app scans (Google Authenticator Key Uri Format):
 * label `issuer:accountName`, each part percent-encoded per RFC 3986 (so `@` → `%40`,
 * `+` → `%2B`, space → `%20`), the issuer repeated as a parameter, and the algorithm, digits and
 * period spelled out. Neither part may contain a colon (the label separator).
 */
export function otpauthUri({ secret, accountName, issuer = TOTP_ISSUER }: OtpauthUriInput): string {
  checkSecret(secret);
  for (const [name, value] of [
    ['issuer', issuer],
    ['accountName', accountName],
  ] as const) {
    if (value.trim() === '' || value.includes(':')) {
      throw new RangeError(`${name} must be non-empty and contain no colon`);
    }
  }
  const label = `${encodeUriPart(issuer)}:${encodeUriPart(accountName)}`;
  const parameters = [
    `secret=${encodeBase32(secret)}`,
    `issuer=${encodeUriPart(issuer)}`,
    'algorithm=SHA1',
    `digits=${TOTP_DIGITS}`,
    `period=${TOTP_STEP_SECONDS}`,
  ];
  return `otpauth://totp/${label}?${parameters.join('&')}`;
}
