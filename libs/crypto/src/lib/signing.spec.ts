import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, inspect } from 'node:util';
import { fromHex, toHex } from './bytes';
import { KeyError } from './errors';
import { createCrypto, type HarbourCrypto } from './harbour-crypto';
import { SigningKey } from './signing';

/** RFC 8032 §7.1 Ed25519 known answers through `HarbourCrypto`, plus negative cases. */

interface Ed25519Vector {
  readonly name: string;
  readonly secretKey: string;
  readonly publicKey: string;
  readonly messageLength: number;
  readonly message: string;
  readonly signature: string;
}

interface Rfc8032File {
  readonly source: string;
  readonly licence: string;
  readonly vectors: readonly Ed25519Vector[];
}

const rfc8032 = JSON.parse(
  readFileSync(join(__dirname, '..', 'test', 'vectors', 'rfc8032-ed25519.json'), 'utf8'),
) as Rfc8032File;

function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  out[bit >> 3]! ^= 1 << (bit & 7);
  return out;
}

let crypto: HarbourCrypto;

beforeAll(async () => {
  crypto = await createCrypto();
});

describe('RFC 8032 §7.1 Ed25519 test vectors', () => {
  it('are the five named vectors, from RFC 8032 section 7.1', () => {
    expect(rfc8032.source).toContain('RFC 8032');
    expect(rfc8032.source).toContain('7.1');
    expect(rfc8032.licence).toContain('BSD');
    expect(rfc8032.vectors.map((v) => v.name)).toEqual([
      'TEST 1',
      'TEST 2',
      'TEST 3',
      'TEST 1024',
      'TEST SHA(abc)',
    ]);
    expect(rfc8032.vectors[0]!.secretKey.startsWith('9d61b19deffd5a60ba844af492ec2cc4')).toBe(true);
    for (const v of rfc8032.vectors) {
      expect(v.secretKey).toMatch(/^[0-9a-f]{64}$/);
      expect(v.publicKey).toMatch(/^[0-9a-f]{64}$/);
      expect(v.signature).toMatch(/^[0-9a-f]{128}$/);
      expect(v.message.length).toBe(v.messageLength * 2);
    }
  });

  it('TEST SHA(abc) signs SHA-512("abc")', () => {
    const v = rfc8032.vectors.find((x) => x.name === 'TEST SHA(abc)')!;
    expect(createHash('sha512').update('abc').digest('hex')).toBe(v.message);
  });

  describe.each(rfc8032.vectors.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    const seed = fromHex(v.secretKey);
    const message = fromHex(v.message);
    const signature = fromHex(v.signature);
    const publicKey = fromHex(v.publicKey);

    it('derives the public key from the seed', () => {
      expect(toHex(crypto.signingKeyFromSeed(seed).publicKey)).toBe(v.publicKey);
    });

    it('reproduces the signature byte for byte and verifies it', () => {
      const key = crypto.signingKeyFromSeed(seed);
      expect(toHex(crypto.sign(key, message))).toBe(v.signature);
      expect(crypto.verify(publicKey, message, signature)).toBe(true);
    });

    it('refuses a flipped bit in the message, the signature or the public key', () => {
      const messageBits = Math.max(message.length * 8, 1);
      for (const bit of [0, 7, messageBits - 1, messageBits >> 1]) {
        const altered =
          message.length === 0 ? Uint8Array.of(0) : flipBit(message, bit % (message.length * 8));
        expect(crypto.verify(publicKey, altered, signature)).toBe(false);
      }
      for (const bit of [0, 1, 100, 255, 256, 300, 511]) {
        expect(crypto.verify(publicKey, message, flipBit(signature, bit))).toBe(false);
      }
      for (const bit of [0, 1, 128, 254]) {
        expect(crypto.verify(flipBit(publicKey, bit), message, signature)).toBe(false);
      }
    });

    it('refuses a signature made by another key', () => {
      const other = crypto.generateSigningKey();
      const forged = crypto.sign(other, message);
      expect(crypto.verify(other.publicKey, message, forged)).toBe(true);
      expect(crypto.verify(publicKey, message, forged)).toBe(false);
      expect(crypto.verify(other.publicKey, message, signature)).toBe(false);
    });
  });

  it('refuses a signature with every single bit flipped in turn (TEST 3)', () => {
    const v = rfc8032.vectors.find((x) => x.name === 'TEST 3')!;
    const signature = fromHex(v.signature);
    for (let bit = 0; bit < 512; bit++) {
      expect(crypto.verify(fromHex(v.publicKey), fromHex(v.message), flipBit(signature, bit))).toBe(
        false,
      );
    }
  });
});

describe('SigningKey', () => {
  it('rejects seeds and keys of the wrong length', () => {
    for (const length of [0, 31, 33, 64]) {
      expect(() => crypto.signingKeyFromSeed(new Uint8Array(length))).toThrow(
        new KeyError('invalid_length'),
      );
    }
    expect(() => new SigningKey(new Uint8Array(63), new Uint8Array(32))).toThrow(KeyError);
    expect(() => new SigningKey(new Uint8Array(64), new Uint8Array(31))).toThrow(KeyError);
  });

  it('verify is false, never an exception, for malformed keys and signatures', () => {
    const key = crypto.generateSigningKey();
    const message = new TextEncoder().encode('checkpoint');
    const signature = crypto.sign(key, message);
    expect(crypto.verify(key.publicKey, message, signature)).toBe(true);
    expect(crypto.verify(key.publicKey.subarray(0, 31), message, signature)).toBe(false);
    expect(crypto.verify(key.publicKey, message, signature.subarray(0, 63))).toBe(false);
    expect(crypto.verify(new Uint8Array(32), message, signature)).toBe(false);
    expect(crypto.verify(key.publicKey, message, new Uint8Array(64))).toBe(false);
  });

  it('shows only (a prefix of) the public key when printed', () => {
    const v = rfc8032.vectors[0]!;
    const key = crypto.signingKeyFromSeed(fromHex(v.secretKey));
    const secretHex = v.secretKey;
    const renderings = [
      JSON.stringify({ key }),
      inspect({ nested: { key } }, { depth: 10 }),
      format('%o %j', key, key),
      inspect(key, { customInspect: false, depth: 10 }),
    ];
    for (const out of renderings) {
      expect(out).not.toContain(secretHex);
      expect(out).not.toContain(secretHex.slice(0, 16));
      expect(out).not.toContain(Buffer.from(fromHex(secretHex)).toString('base64').slice(0, 16));
      expect(out).not.toMatch(/157,\s*97,\s*177/); // the seed's first bytes in decimal
    }
    expect(JSON.stringify(key)).toBe(`"[SigningKey ${v.publicKey.slice(0, 16)}]"`);
  });

  it('destroy() zeroes the secret and later signing throws KeyError("destroyed")', () => {
    const key = crypto.generateSigningKey();
    const secret = key.secret();
    expect(secret.some((b) => b !== 0)).toBe(true);
    key.destroy();
    expect(secret.every((b) => b === 0)).toBe(true);
    expect(() => crypto.sign(key, new Uint8Array(1))).toThrow(new KeyError('destroyed'));
  });
});
