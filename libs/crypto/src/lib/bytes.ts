import { PlacementError } from './errors';

const encoder = new TextEncoder();

/**
 * UTF-8 bytes of `text`. Short ASCII strings (names, labels, normalised tokens) are copied by a
 * plain loop, several times faster than `TextEncoder.encode` for such inputs; anything else
 * goes through `TextEncoder`, so the output is always exactly the standard encoding.
 */
export function utf8(text: string): Uint8Array {
  const length = text.length;
  if (length <= 64) {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      const code = text.charCodeAt(i);
      if (code >= 0x80) return encoder.encode(text);
      out[i] = code;
    }
    return out;
  }
  return encoder.encode(text);
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function checkU32(value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new RangeError('expected an unsigned 32-bit integer');
  }
}

export function u32be(value: number): Uint8Array {
  const out = new Uint8Array(4);
  writeU32be(out, 0, value);
  return out;
}

/** Writes `value` big-endian at `offset` (plain shifts: much cheaper than a DataView per call). */
export function writeU32be(out: Uint8Array, offset: number, value: number): void {
  checkU32(value);
  out[offset] = value >>> 24;
  out[offset + 1] = (value >>> 16) & 0xff;
  out[offset + 2] = (value >>> 8) & 0xff;
  out[offset + 3] = value & 0xff;
}

export function readU32be(bytes: Uint8Array, offset: number): number {
  if (offset < 0 || offset + 4 > bytes.length) throw new RangeError('read past the end');
  return (
    ((bytes[offset]! << 24) |
      (bytes[offset + 1]! << 16) |
      (bytes[offset + 2]! << 8) |
      bytes[offset + 3]!) >>>
    0
  );
}

/** `u32be(length) ‖ bytes`: the unambiguous framing used for every associated-data part. */
export function lengthPrefixed(bytes: Uint8Array): Uint8Array {
  return concat([u32be(bytes.length), bytes]);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Hex digit values by character code (lower-case only: canonical UUIDs are lower-case). */
const HEX_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) HEX_VALUE['0123456789abcdef'.charCodeAt(i)] = i;

/** The 16 bytes of a canonical (lower-case, hyphenated) UUID; anything else is refused. */
export function uuidBytes(uuid: string, part: string): Uint8Array {
  const out = new Uint8Array(16);
  writeUuid(out, 0, uuid, part);
  return out;
}

/** Writes the 16 bytes of a canonical UUID at `offset`. */
export function writeUuid(out: Uint8Array, offset: number, uuid: string, part: string): void {
  if (!UUID.test(uuid)) throw new PlacementError('invalid_uuid', part);
  let byte = 0;
  for (let i = 0; i < 36; i += 2) {
    if (i === 8 || i === 13 || i === 18 || i === 23) i++;
    out[offset + byte++] =
      (HEX_VALUE[uuid.charCodeAt(i)]! << 4) | HEX_VALUE[uuid.charCodeAt(i + 1)]!;
  }
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function fromHex(hex: string): Uint8Array {
  if (!/^(?:[0-9a-f]{2})*$/i.test(hex)) throw new RangeError('invalid hex');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}
