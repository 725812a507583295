/**
 * Pseudonymous person codes (docs/design.md §3): `HB-7K2Q-M9XF`, printed on a client card and read
 * back over the phone. Seven random Crockford base32 symbols (35 bits) and one check symbol
 * (Luhn mod 32 over the same alphabet, so it is never a character outside the card's set). The
 * check catches every single mistyped symbol and every swap of two neighbours except `0` ↔ `Z`
 * (Luhn mod N's one blind spot).
 *
 * Reading is forgiving, as Crockford intends: case is ignored, `I`/`L` read as `1`, `O` as
 * `0`, hyphens and spaces are dropped, and the `HB` prefix is optional.
 */

/** Crockford's base32 alphabet: no I, L, O or U. */
export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

const PREFIX = 'HB';
const RANDOM_SYMBOLS = 7;

interface RandomSource {
  getRandomValues(array: Uint8Array): Uint8Array;
}

const webCrypto = (globalThis as unknown as { crypto: RandomSource }).crypto;

function symbolValue(symbol: string): number {
  return CROCKFORD_ALPHABET.indexOf(symbol);
}

/** Luhn mod N (N = 32) check symbol for `symbols` (all from the alphabet). */
export function personCodeCheckSymbol(symbols: string): string {
  let factor = 2;
  let sum = 0;
  for (let i = symbols.length - 1; i >= 0; i--) {
    const value = symbolValue(symbols[i]!);
    if (value < 0) throw new RangeError('not a Crockford base32 symbol');
    let addend = factor * value;
    factor = factor === 2 ? 1 : 2;
    addend = Math.floor(addend / 32) + (addend % 32);
    sum += addend;
  }
  return CROCKFORD_ALPHABET[(32 - (sum % 32)) % 32]!;
}

function format(symbols: string): string {
  return `${PREFIX}-${symbols.slice(0, 4)}-${symbols.slice(4)}`;
}

/** A new random code. `random` fills bytes (Web Crypto by default). */
export function generatePersonCode(
  random: (bytes: Uint8Array) => void = (b) => void webCrypto.getRandomValues(b),
): string {
  const bytes = new Uint8Array(RANDOM_SYMBOLS);
  random(bytes);
  let symbols = '';
  // 256 is a multiple of 32: taking the low five bits of a uniform byte is uniform.
  for (const byte of bytes) symbols += CROCKFORD_ALPHABET[byte & 31]!;
  return format(symbols + personCodeCheckSymbol(symbols));
}

/**
 * The canonical form (`HB-XXXX-XXXX`) of a code as someone typed or read it, or null when it is
 * not a code (wrong length, a symbol outside the alphabet, or a failed check).
 */
export function parsePersonCode(input: string): string | null {
  if (typeof input !== 'string' || input.length > 40) return null;
  let text = input.toUpperCase().replace(/[\s-]/g, '');
  if (text.startsWith(PREFIX) && text.length === PREFIX.length + RANDOM_SYMBOLS + 1) {
    text = text.slice(PREFIX.length);
  }
  if (text.length !== RANDOM_SYMBOLS + 1) return null;
  const symbols = text.replace(/[IL]/g, '1').replace(/O/g, '0');
  for (const symbol of symbols) if (symbolValue(symbol) < 0) return null;
  const body = symbols.slice(0, RANDOM_SYMBOLS);
  if (personCodeCheckSymbol(body) !== symbols[RANDOM_SYMBOLS]) return null;
  return format(symbols);
}

/** Whether `value` is a code in canonical form. */
export function isPersonCode(value: unknown): value is string {
  return typeof value === 'string' && parsePersonCode(value) === value;
}
