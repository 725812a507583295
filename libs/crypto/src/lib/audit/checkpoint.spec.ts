import { ed25519 } from '@noble/curves/ed25519';
import fc from 'fast-check';
import { fromHex, toHex } from '../bytes';
import { createCrypto, type HarbourCrypto } from '../harbour-crypto';
import type { SigningKey } from '../signing';
import {
  checkpointBody,
  checkpointBodyBytes,
  CheckpointFormatError,
  parseCheckpointBody,
  type Checkpoint,
} from './checkpoint-format';
import { signCheckpoint } from './checkpoint-writer';
import { merkleRoot, leafHash } from './merkle';
import { verifyCheckpoint } from './verifier';

/**
 * Checkpoints are written and signed by the writer (libsodium through HarbourCrypto) and checked
 * by the verifier (noble Ed25519): docs/security.md T16 and adversarial case 24.
 */

const ROOT_8 = fromHex('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328');

const CHECKPOINT: Checkpoint = {
  origin: 'harbour.example/access-log/0190f3a2-1b2c-7d3e-8f40-123456789abc',
  treeSize: 8,
  rootHash: ROOT_8,
  timestamp: '2025-03-04T05:06:07.089Z',
};

const BODY =
  'harbour.example/access-log/0190f3a2-1b2c-7d3e-8f40-123456789abc\n' +
  '8\n' +
  'XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n' +
  '2025-03-04T05:06:07.089Z\n';

let crypto: HarbourCrypto;
let key: SigningKey;
let otherKey: SigningKey;

beforeAll(async () => {
  crypto = await createCrypto();
  key = crypto.signingKeyFromSeed(new Uint8Array(32).fill(7));
  otherKey = crypto.generateSigningKey();
});

afterAll(() => {
  key.destroy();
  otherKey.destroy();
});

function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  out[bit >> 3]! ^= 1 << (bit & 7);
  return out;
}

describe('checkpoint body', () => {
  it('is the documented four lines, each ending in a line feed', () => {
    expect(checkpointBody(CHECKPOINT)).toBe(BODY);
    expect(Buffer.from(ROOT_8).toString('base64')).toBe(BODY.split('\n')[2]);
    expect(toHex(checkpointBodyBytes(BODY))).toBe(Buffer.from(BODY, 'ascii').toString('hex'));
  });

  it('round-trips through the parser', () => {
    const parsed = parseCheckpointBody(BODY);
    expect(parsed).toEqual({ ok: true, checkpoint: CHECKPOINT });
  });

  it('round-trips for any valid fields (property)', () => {
    const printable = fc.string({
      unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
      minLength: 1,
      maxLength: 200,
    });
    const time = fc
      .integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) })
      .map((t) => new Date(t).toISOString());
    fc.assert(
      fc.property(
        printable,
        fc.maxSafeNat(),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        time,
        (origin, treeSize, rootHash, timestamp) => {
          const checkpoint = { origin, treeSize, rootHash, timestamp };
          const body = checkpointBody(checkpoint);
          expect(body.split('\n')[2]).toBe(Buffer.from(rootHash).toString('base64'));
          expect(parseCheckpointBody(body)).toEqual({ ok: true, checkpoint });
        },
      ),
      { seed: 8032, numRuns: 300 },
    );
  });

  it.each([
    ['empty origin', { origin: '' }, 'invalid_origin'],
    ['origin of 201 characters', { origin: 'a'.repeat(201) }, 'invalid_origin'],
    ['origin with a newline', { origin: 'a\nb' }, 'invalid_origin'],
    ['origin with a tab', { origin: 'a\tb' }, 'invalid_origin'],
    ['non-ASCII origin', { origin: 'harbour.例' }, 'invalid_origin'],
    ['negative size', { treeSize: -1 }, 'invalid_tree_size'],
    ['fractional size', { treeSize: 1.5 }, 'invalid_tree_size'],
    ['unsafe size', { treeSize: 2 ** 53 }, 'invalid_tree_size'],
    ['31-byte root', { rootHash: new Uint8Array(31) }, 'invalid_root_hash'],
    ['timestamp without milliseconds', { timestamp: '2025-03-04T05:06:07Z' }, 'invalid_timestamp'],
    [
      'timestamp with an offset',
      { timestamp: '2025-03-04T05:06:07.089+00:00' },
      'invalid_timestamp',
    ],
    ['impossible date', { timestamp: '2025-02-30T05:06:07.089Z' }, 'invalid_timestamp'],
  ] as const)('checkpointBody refuses %s', (_name, change, reason) => {
    const bad: Checkpoint = { ...CHECKPOINT, ...change };
    expect(() => checkpointBody(bad)).toThrow(CheckpointFormatError);
    expect(() => checkpointBody(bad)).toThrow(reason);
  });

  const lines = BODY.split('\n').slice(0, 4);
  const withLine = (i: number, text: string): string =>
    lines.map((line, j) => (j === i ? text : line)).join('\n') + '\n';

  it.each([
    ['no final line feed', BODY.slice(0, -1), 'invalid_layout'],
    ['CRLF line ends', BODY.replace(/\n/g, '\r\n'), 'invalid_origin'],
    ['an extra line', `${BODY}extension\n`, 'invalid_layout'],
    ['a blank line at the end', `${BODY}\n`, 'invalid_layout'],
    ['three lines', lines.slice(0, 3).join('\n') + '\n', 'invalid_layout'],
    ['empty text', '', 'invalid_layout'],
    ['a very long text', 'a'.repeat(10_000), 'invalid_layout'],
    ['an empty origin', withLine(0, ''), 'invalid_origin'],
    ['a size with a leading zero', withLine(1, '08'), 'invalid_tree_size'],
    ['a size with a plus sign', withLine(1, '+8'), 'invalid_tree_size'],
    ['a negative size', withLine(1, '-8'), 'invalid_tree_size'],
    ['a size in hex', withLine(1, '0x8'), 'invalid_tree_size'],
    ['a size with a space', withLine(1, ' 8'), 'invalid_tree_size'],
    ['a size of 2^53', withLine(1, '9007199254740992'), 'invalid_tree_size'],
    ['a 17-digit size', withLine(1, '10000000000000000'), 'invalid_tree_size'],
    ['an empty size', withLine(1, ''), 'invalid_tree_size'],
    ['an unpadded root', withLine(2, lines[2]!.slice(0, -1)), 'invalid_root_hash'],
    [
      'a URL-safe root',
      withLine(2, lines[2]!.replace('+', '-').replace('/', '_')),
      'invalid_root_hash',
    ],
    ['a hex root', withLine(2, toHex(ROOT_8)), 'invalid_root_hash'],
    ['a 33-byte root', withLine(2, Buffer.alloc(33).toString('base64')), 'invalid_root_hash'],
    ['a root with whitespace', withLine(2, ` ${lines[2]!}`), 'invalid_root_hash'],
    // "…Qyg=" and "…Qyh=" decode to the same 32 bytes; only the canonical one is accepted.
    [
      'a non-canonical base64 root',
      withLine(2, lines[2]!.replace(/g=$/, 'h=')),
      'invalid_root_hash',
    ],
    ['a timestamp without Z', withLine(3, '2025-03-04T05:06:07.089'), 'invalid_timestamp'],
    ['a lower-case z', withLine(3, '2025-03-04T05:06:07.089z'), 'invalid_timestamp'],
    ['a space for T', withLine(3, '2025-03-04 05:06:07.089Z'), 'invalid_timestamp'],
    ['microseconds', withLine(3, '2025-03-04T05:06:07.089000Z'), 'invalid_timestamp'],
    ['hour 24', withLine(3, '2025-03-04T24:00:00.000Z'), 'invalid_timestamp'],
    ['February 29 of a common year', withLine(3, '2025-02-29T00:00:00.000Z'), 'invalid_timestamp'],
    ['a leap second', withLine(3, '2016-12-31T23:59:60.000Z'), 'invalid_timestamp'],
    ['an expanded year', withLine(3, '+012025-03-04T05:06:07.089Z'), 'invalid_timestamp'],
  ])('parseCheckpointBody refuses %s', (_name, text, reason) => {
    expect(parseCheckpointBody(text)).toEqual({ ok: false, reason });
  });

  it('accepts the edges: size 0 and 2^53 − 1, a 200-character origin, a leap day', () => {
    for (const change of [
      { treeSize: 0 },
      { treeSize: Number.MAX_SAFE_INTEGER },
      { origin: '~'.repeat(200) },
      { origin: ' spaces are printable ' },
      { timestamp: '2024-02-29T23:59:59.999Z' },
    ]) {
      const checkpoint = { ...CHECKPOINT, ...change };
      expect(parseCheckpointBody(checkpointBody(checkpoint))).toEqual({ ok: true, checkpoint });
    }
  });

  it('parses non-strings as malformed instead of throwing', () => {
    expect(parseCheckpointBody(42 as unknown as string)).toEqual({
      ok: false,
      reason: 'invalid_layout',
    });
  });
});

describe('signed checkpoints: libsodium writer, noble verifier', () => {
  it('a checkpoint signed with HarbourCrypto.sign verifies with the noble verifier', () => {
    const signed = signCheckpoint(crypto, key, CHECKPOINT);
    expect(signed.body).toBe(BODY);
    expect(signed.signature).toHaveLength(64);
    expect(crypto.verify(key.publicKey, checkpointBodyBytes(BODY), signed.signature)).toBe(true);
    expect(verifyCheckpoint(signed.body, signed.signature, key.publicKey)).toEqual({
      ok: true,
      checkpoint: CHECKPOINT,
    });
  });

  it('the signature is plain Ed25519 over the body bytes (noble signs the same bytes alike)', () => {
    // Ed25519 is deterministic: the same seed and message give the same signature everywhere.
    const seed = new Uint8Array(32).fill(7);
    const noble = ed25519.sign(checkpointBodyBytes(BODY), seed);
    expect(toHex(signCheckpoint(crypto, key, CHECKPOINT).signature)).toBe(toHex(noble));
    expect(toHex(ed25519.getPublicKey(seed))).toBe(toHex(key.publicKey));
  });

  it('a checkpoint signed with another key is rejected', () => {
    const signed = signCheckpoint(crypto, otherKey, CHECKPOINT);
    expect(verifyCheckpoint(signed.body, signed.signature, key.publicKey)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it.each([
    ['tree size', { treeSize: 9 }],
    ['tree size rolled back', { treeSize: 7 }],
    ['root hash', { rootHash: flipBit(ROOT_8, 255) }],
    ['timestamp', { timestamp: '2025-03-04T05:06:07.090Z' }],
    ['origin', { origin: 'harbour.example/access-log/0190f3a2-1b2c-7d3e-8f40-123456789abd' }],
  ])('a changed %s is rejected', (_name, change) => {
    const signed = signCheckpoint(crypto, key, CHECKPOINT);
    const changed = checkpointBody({ ...CHECKPOINT, ...change });
    expect(verifyCheckpoint(changed, signed.signature, key.publicKey)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('any single bit flip in the signature or the body is rejected', () => {
    const signed = signCheckpoint(crypto, key, CHECKPOINT);
    // Every third bit of the 512 (each noble verification costs about a millisecond).
    for (let bit = 0; bit < 512; bit += 3) {
      const result = verifyCheckpoint(BODY, flipBit(signed.signature, bit), key.publicKey);
      expect(result.ok).toBe(false);
    }
    const bodyBytes = checkpointBodyBytes(BODY);
    for (let bit = 1; bit < bodyBytes.length * 8; bit += 11) {
      const text = new TextDecoder().decode(flipBit(bodyBytes, bit));
      expect(verifyCheckpoint(text, signed.signature, key.publicKey).ok).toBe(false);
    }
  });

  it('a truncated or extended signature, or a malformed key, is rejected without throwing', () => {
    const signed = signCheckpoint(crypto, key, CHECKPOINT);
    const sig = signed.signature;
    const cases: [Uint8Array, Uint8Array, string][] = [
      [sig.subarray(0, 63), key.publicKey, 'malformed_signature'],
      [sig.subarray(0, 32), key.publicKey, 'malformed_signature'],
      [new Uint8Array(0), key.publicKey, 'malformed_signature'],
      [Uint8Array.from([...sig, 0]), key.publicKey, 'malformed_signature'],
      [sig, key.publicKey.subarray(0, 31), 'malformed_public_key'],
      [sig, new Uint8Array(0), 'malformed_public_key'],
      [sig, Uint8Array.from([...key.publicKey, 0]), 'malformed_public_key'],
      // 32 bytes, but not a point on the curve / a small-order point / all zero.
      [sig, fromHex('02' + '00'.repeat(30) + '80'), 'bad_signature'],
      [sig, new Uint8Array(32), 'bad_signature'],
      [sig, new Uint8Array(32).fill(0xff), 'bad_signature'],
      // S ≥ L (not reduced): refused by strict RFC 8032 verification.
      [
        Uint8Array.from([...sig.subarray(0, 32), ...new Uint8Array(32).fill(0xff)]),
        key.publicKey,
        'bad_signature',
      ],
    ];
    for (const [signature, publicKey, reason] of cases) {
      expect(verifyCheckpoint(BODY, signature, publicKey)).toEqual({ ok: false, reason });
    }
    const notBytes = 'signature' as unknown as Uint8Array;
    expect(verifyCheckpoint(BODY, notBytes, key.publicKey).ok).toBe(false);
    expect(verifyCheckpoint(BODY, sig, notBytes).ok).toBe(false);
  });

  it('a correctly signed but malformed body is still rejected', () => {
    const body = BODY.replace('\n8\n', '\n08\n');
    const signature = crypto.sign(key, checkpointBodyBytes(body));
    expect(verifyCheckpoint(body, signature, key.publicKey)).toEqual({
      ok: false,
      reason: 'invalid_tree_size',
    });
  });

  it('a checkpoint of a real log: root from the writer, verified end to end', () => {
    const leaves = Array.from({ length: 1000 }, (_, i) => leafHash(Buffer.from(`event ${i}`)));
    const checkpoint = { ...CHECKPOINT, treeSize: 1000, rootHash: merkleRoot(leaves) };
    const signed = signCheckpoint(crypto, key, checkpoint);
    const result = verifyCheckpoint(signed.body, signed.signature, key.publicKey);
    expect(result).toEqual({ ok: true, checkpoint });
  });
});
