import { concat, fromHex, toHex } from './bytes';
import { DecryptionError } from './errors';
import {
  ALG_XCHACHA20_POLY1305_IETF,
  ciphertextCheckSql,
  encodeHeader,
  FORMAT_VERSION,
  HEADER_BYTES,
  keyIdOf,
  MIN_CIPHERTEXT_BYTES,
  NONCE_BYTES,
  readHeader,
  TAG_BYTES,
} from './format';

const NONCE = fromHex('404142434445464748494a4b4c4d4e4f5051525354555657');

/** A syntactically valid ciphertext: a header for `keyId`, then `bodyBytes` bytes. */
function envelope(keyId: number, bodyBytes = TAG_BYTES): Uint8Array {
  return concat([encodeHeader(keyId, NONCE), new Uint8Array(bodyBytes).fill(0xee)]);
}

function headerFailure(bytes: Uint8Array): string {
  try {
    readHeader(bytes);
  } catch (error) {
    if (error instanceof DecryptionError) return error.reason;
    throw error;
  }
  throw new Error('expected readHeader to throw');
}

describe('format constants (ciphertext format v1)', () => {
  it('version(1) ‖ alg(1) ‖ key_id(4) ‖ nonce(24) ‖ ciphertext ‖ tag(16)', () => {
    expect(FORMAT_VERSION).toBe(0x01);
    expect(ALG_XCHACHA20_POLY1305_IETF).toBe(0x01);
    expect(NONCE_BYTES).toBe(24);
    expect(TAG_BYTES).toBe(16);
    expect(HEADER_BYTES).toBe(30);
    expect(MIN_CIPHERTEXT_BYTES).toBe(46);
  });
});

describe('encodeHeader', () => {
  it('writes version, algorithm, the big-endian key id and the nonce', () => {
    expect(toHex(encodeHeader(0x01020304, NONCE))).toBe(
      '0101' + '01020304' + '404142434445464748494a4b4c4d4e4f5051525354555657',
    );
    expect(toHex(encodeHeader(0, NONCE).subarray(0, 6))).toBe('010100000000');
    expect(toHex(encodeHeader(0xffffffff, NONCE).subarray(0, 6))).toBe('0101ffffffff');
  });

  it('accepts 24-byte nonces only', () => {
    for (const length of [0, 8, 12, 16, 23, 25, 32]) {
      expect(() => encodeHeader(1, new Uint8Array(length))).toThrow(RangeError);
    }
  });

  it('accepts unsigned 32-bit key ids only', () => {
    for (const keyId of [-1, 0x100000000, 1.5, Number.NaN]) {
      expect(() => encodeHeader(keyId, NONCE)).toThrow(RangeError);
    }
  });
});

describe('readHeader', () => {
  it('parses a header and returns the nonce and big-endian key id', () => {
    const header = readHeader(envelope(0xa1b2c3d4));
    expect(header.version).toBe(FORMAT_VERSION);
    expect(header.alg).toBe(ALG_XCHACHA20_POLY1305_IETF);
    expect(header.keyId).toBe(0xa1b2c3d4);
    expect(toHex(header.nonce)).toBe(toHex(NONCE));
  });

  it('reads headers at a non-zero offset into a larger buffer', () => {
    const backing = concat([Uint8Array.of(0xff, 0xff, 0xff), envelope(77)]);
    expect(readHeader(backing.subarray(3)).keyId).toBe(77);
  });

  it('accepts exactly 46 bytes (the tag of an empty plaintext)', () => {
    expect(readHeader(envelope(5, TAG_BYTES)).keyId).toBe(5);
  });

  it.each([0, 1, 6, 29, 30, 45])('rejects %i bytes as "truncated"', (length) => {
    expect(headerFailure(envelope(5, TAG_BYTES).subarray(0, length))).toBe('truncated');
  });

  it.each([0x00, 0x02, 0x7f, 0xff])('rejects version byte %i as "unknown_version"', (version) => {
    const bytes = envelope(5);
    bytes[0] = version;
    expect(headerFailure(bytes)).toBe('unknown_version');
  });

  it.each([0x00, 0x02, 0x03, 0xff])('rejects algorithm byte %i as "unknown_algorithm"', (alg) => {
    const bytes = envelope(5);
    bytes[1] = alg;
    expect(headerFailure(bytes)).toBe('unknown_algorithm');
  });

  it('checks length first, then version, then algorithm', () => {
    const short = envelope(5).subarray(0, 45);
    short[0] = 0x02;
    short[1] = 0x02;
    expect(headerFailure(short)).toBe('truncated');
    const both = envelope(5);
    both[0] = 0x02;
    both[1] = 0x02;
    expect(headerFailure(both)).toBe('unknown_version');
  });

  it('errors say why, never what the bytes were', () => {
    const bytes = envelope(5);
    bytes[0] = 0x99;
    expect(() => readHeader(bytes)).toThrow(/^decryption failed: unknown_version$/);
  });
});

describe('keyIdOf', () => {
  it('returns the key id a stored ciphertext was written under', () => {
    for (const keyId of [0, 1, 255, 256, 0x01020304, 0xffffffff]) {
      expect(keyIdOf(envelope(keyId))).toBe(keyId);
    }
  });

  it('refuses anything that is not a v1 ciphertext', () => {
    expect(() => keyIdOf(new TextEncoder().encode('plaintext by mistake'))).toThrow(
      DecryptionError,
    );
    expect(() => keyIdOf(new Uint8Array(100))).toThrow(DecryptionError);
  });
});

describe('ciphertextCheckSql', () => {
  it('produces the CHECK constraint for an encrypted bytea column', () => {
    expect(ciphertextCheckSql('given_name')).toBe(
      '"given_name" IS NULL OR (octet_length("given_name") >= 46 ' +
        'AND get_byte("given_name", 0) = 1 AND get_byte("given_name", 1) = 1)',
    );
  });

  it('quotes the column name it was given', () => {
    expect(ciphertextCheckSql('_x9')).toBe(
      '"_x9" IS NULL OR (octet_length("_x9") >= 46 AND get_byte("_x9", 0) = 1 AND get_byte("_x9", 1) = 1)',
    );
  });

  it.each([
    '',
    'Given_name',
    '1column',
    'given-name',
    'given name',
    'given_name ',
    'given.name',
    'given"name',
    'x"); DROP TABLE person; --',
    'naïve',
    'given_name\n',
  ])('rejects the column name %j', (column) => {
    expect(() => ciphertextCheckSql(column)).toThrow(new RangeError('invalid column name'));
  });
});
