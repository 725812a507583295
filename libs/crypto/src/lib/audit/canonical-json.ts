/**
 * RFC 8785 JSON Canonicalization Scheme (JCS) for the values Harbour writes to its access log.
 *
 * The canonical form of a value is what the log hashes (leaf = SHA-256(0x00 ‖ UTF-8(JCS(event))),
 * docs/design.md §7), so it must be identical on every machine and in every release:
 *
 * - `null`, `true`, `false` as literals.
 * - Numbers by ECMAScript Number::toString (exactly what `JSON.stringify` writes for a finite
 *   number; `-0` is `0`). NaN and ±Infinity are refused, and so are integers outside the safe
 *   range (|n| > 2^53 − 1): they are not exact in I-JSON (RFC 7493 §2.2), so an event field that
 *   holds one is a bug (use a string). Every double of magnitude 2^53 or more is an integer, so
 *   in effect accepted numbers are below 2^53 in magnitude (fractions of any precision).
 * - Strings in double quotes with only the JCS escapes: `\"`, `\\`, `\b`, `\f`, `\n`, `\r`,
 *   `\t`, and `\u00xx` (lower-case hex) for the other control characters below U+0020.
 *   Everything else, U+007F, U+2028, U+2029 and all non-ASCII text included, is written as is
 *   and UTF-8 encoded. Lone surrogates are refused (they have no UTF-8 form).
 * - Arrays in order; plain objects (prototype `Object.prototype` or `null`) with their members
 *   sorted by the UTF-16 code units of their names. No whitespace anywhere.
 *
 * Refused with `CanonicalJsonError` instead of being dropped or converted, as `JSON.stringify`
 * would: `undefined` (also as a member value), functions, symbols (also as keys), bigints,
 * `Date`s and every other non-plain object (`Map`, `Uint8Array`, boxed primitives, class
 * instances), sparse arrays, cycles and nesting deeper than `MAX_CANONICAL_JSON_DEPTH`.
 */

export type CanonicalJsonFailure =
  | 'undefined'
  | 'function'
  | 'symbol'
  | 'bigint'
  | 'non_finite_number'
  | 'unsafe_integer'
  | 'lone_surrogate'
  | 'not_plain_object'
  | 'sparse_array'
  | 'cycle'
  | 'too_deep';

/** A value cannot be canonicalised. The message names the reason only, never the value. */
export class CanonicalJsonError extends Error {
  override readonly name = 'CanonicalJsonError';

  constructor(readonly reason: CanonicalJsonFailure) {
    super(`cannot canonicalise JSON: ${reason}`);
  }
}

/** Deepest nesting of arrays and objects accepted (an access event is three levels deep). */
export const MAX_CANONICAL_JSON_DEPTH = 64;

const encoder = new TextEncoder();

/** A high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Characters that need an escape: `"`, `\` and the C0 controls. */
// eslint-disable-next-line no-control-regex -- matching the C0 controls is the point
const NEEDS_ESCAPE = /["\\\u0000-\u001f]/;

const SHORT_ESCAPES: Readonly<Record<number, string>> = {
  0x08: '\\b',
  0x09: '\\t',
  0x0a: '\\n',
  0x0c: '\\f',
  0x0d: '\\r',
  0x22: '\\"',
  0x5c: '\\\\',
};

function quote(text: string): string {
  if (LONE_SURROGATE.test(text)) throw new CanonicalJsonError('lone_surrogate');
  if (!NEEDS_ESCAPE.test(text)) return `"${text}"`;
  let out = '"';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x20 && code !== 0x22 && code !== 0x5c) continue;
    out += text.slice(from, i);
    out += SHORT_ESCAPES[code] ?? `\\u00${code.toString(16).padStart(2, '0')}`;
    from = i + 1;
  }
  return `${out}${text.slice(from)}"`;
}

function serialiseNumber(value: number): string {
  if (!Number.isFinite(value)) throw new CanonicalJsonError('non_finite_number');
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
    throw new CanonicalJsonError('unsafe_integer');
  }
  // ECMAScript Number::toString, as JSON.stringify uses for finite numbers (RFC 8785 §3.2.2.3).
  return String(value);
}

/** UTF-16 code unit order (RFC 8785 §3.2.3), independent of locale. */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function serialise(value: unknown, ancestors: object[]): string {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      return serialiseNumber(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      throw new CanonicalJsonError('undefined');
    case 'function':
      throw new CanonicalJsonError('function');
    case 'symbol':
      throw new CanonicalJsonError('symbol');
    case 'bigint':
      throw new CanonicalJsonError('bigint');
    case 'object':
      break;
  }
  if (value === null) return 'null';
  if (ancestors.includes(value)) throw new CanonicalJsonError('cycle');
  if (ancestors.length >= MAX_CANONICAL_JSON_DEPTH) throw new CanonicalJsonError('too_deep');

  ancestors.push(value);
  let out: string;
  if (Array.isArray(value)) {
    const items: string[] = [];
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) throw new CanonicalJsonError('sparse_array');
      items.push(serialise(value[i], ancestors));
    }
    out = `[${items.join(',')}]`;
  } else {
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
      throw new CanonicalJsonError('not_plain_object');
    }
    if (Object.getOwnPropertySymbols(value).length > 0) throw new CanonicalJsonError('symbol');
    const record = value as Readonly<Record<string, unknown>>;
    const members: string[] = [];
    for (const key of Object.keys(record).sort(compareCodeUnits)) {
      members.push(`${quote(key)}:${serialise(record[key], ancestors)}`);
    }
    out = `{${members.join(',')}}`;
  }
  ancestors.pop();
  return out;
}

/** The RFC 8785 canonical JSON text of `value` (see the module comment for what is accepted). */
export function canonicalJson(value: unknown): string {
  return serialise(value, []);
}

/** UTF-8 bytes of `canonicalJson(value)`: the bytes an access-log leaf hashes. */
export function canonicalJsonBytes(value: unknown): Uint8Array {
  return encoder.encode(canonicalJson(value));
}
