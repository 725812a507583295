import { createHash, createHmac, randomBytes } from 'node:crypto';
import { emptyTreeHash, leafHash, merkleRoot, nodeHash } from '@harbour/crypto';
import { appendToFrontier, frontierRoot } from './frontier';
import { headMacInput, macInput } from './event-format';
import { StreamingRoot, VerifierHash } from './verifier-hash';

/**
 * The verifier's libsodium hashing against the writer's node:crypto hashing and published
 * SHA-256 / HMAC-SHA256 vectors: the two must agree on every input, or verification would
 * either reject good logs or, worse, share a mistake with the writer.
 */
describe('VerifierHash (libsodium, native)', () => {
  const key = randomBytes(32);
  const hash = new VerifierHash(key);

  it('hashes leaves as SHA-256(0x00 ‖ bytes), for every length around the block boundaries and beyond the scratch buffer', () => {
    for (const length of [0, 1, 54, 55, 56, 63, 64, 65, 119, 120, 4095, 4096, 10_000]) {
      const bytes = randomBytes(length);
      expect(hash.leaf(bytes).toString('hex')).toBe(Buffer.from(leafHash(bytes)).toString('hex'));
    }
  });

  it('returns a fresh buffer per hash (a stored leaf is never overwritten by the next one)', () => {
    const a = hash.leaf(Buffer.from('a'));
    const copy = Buffer.from(a);
    hash.leaf(Buffer.from('b'));
    hash.node(a, a);
    expect(a.equals(copy)).toBe(true);
  });

  it('hashes nodes as SHA-256(0x01 ‖ left ‖ right) and refuses other lengths', () => {
    for (let i = 0; i < 50; i++) {
      const left = randomBytes(32);
      const right = randomBytes(32);
      expect(hash.node(left, right).equals(Buffer.from(nodeHash(left, right)))).toBe(true);
    }
    expect(() => hash.node(randomBytes(31), randomBytes(32))).toThrow(RangeError);
    expect(() => hash.node(randomBytes(32), randomBytes(33))).toThrow(RangeError);
  });

  it('computes the head MAC as the writer does (HMAC-SHA256 over any message, RFC 4231 case 2)', () => {
    const jefe = new VerifierHash(Buffer.from('Jefe'));
    expect(jefe.macMessage(Buffer.from('what do ya want for nothing?')).toString('hex')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
    for (const length of [0, 1, 63, 64, 65, 500]) {
      const message = randomBytes(length);
      expect(
        hash.macMessage(message).equals(createHmac('sha256', key).update(message).digest()),
      ).toBe(true);
    }
    const input = headMacInput({
      organisationId: '0190a000-0000-7000-8000-000000000001',
      treeSize: 3,
      frontier: [randomBytes(32), randomBytes(32)],
      checkpointSize: 2,
      checkpointAt: new Date('2026-11-22T09:00:00.000Z'),
    });
    expect(input.length).toBeGreaterThan(40);
    expect(hash.macMessage(input).equals(createHmac('sha256', key).update(input).digest())).toBe(
      true,
    );
  });

  it('folds a frontier into the root the writer computes', () => {
    let frontier: Uint8Array[] = [];
    const leaves: Uint8Array[] = [];
    for (let size = 0; size < 40; size++) {
      expect(
        hash
          .frontierRoot(frontier)
          .equals(Buffer.from(size === 0 ? emptyTreeHash() : frontierRoot(frontier))),
      ).toBe(true);
      const leaf = randomBytes(32);
      leaves.push(leaf);
      frontier = appendToFrontier(frontier, size, leaf);
      expect(
        hash.frontierRoot(frontier).equals(Buffer.from(merkleRoot(leaves, leaves.length))),
      ).toBe(true);
    }
  });

  it('computes the event MAC as the writer does (HMAC-SHA256 over seq ‖ leaf)', () => {
    for (const seq of [0, 1, 255, 256, 65_536, 2 ** 32, Number.MAX_SAFE_INTEGER]) {
      const leaf = randomBytes(32);
      const expected = createHmac('sha256', key).update(macInput(seq, leaf)).digest();
      expect(hash.mac(seq, leaf).equals(expected)).toBe(true);
    }
    expect(() => hash.mac(1, randomBytes(31))).toThrow(RangeError);
  });

  it('zero-pads a key shorter than a block as HMAC does (the 4-byte key of RFC 4231 §4.3), and refuses one longer than a block', () => {
    const jefe = new VerifierHash(Buffer.from('Jefe'));
    const leaf = createHash('sha256').update('what do ya want for nothing?').digest();
    const expected = createHmac('sha256', 'Jefe').update(macInput(7, leaf)).digest();
    expect(jefe.mac(7, leaf).equals(expected)).toBe(true);
    expect(() => new VerifierHash(randomBytes(65))).toThrow(RangeError);
  });

  it('has the SHA-256 of the empty string as the empty root (FIPS 180-4)', () => {
    expect(VerifierHash.emptyRoot().toString('hex')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(VerifierHash.emptyRoot().equals(Buffer.from(emptyTreeHash()))).toBe(true);
  });
});

describe('StreamingRoot', () => {
  it('equals the writer’s merkleRoot for every prefix of a 300-leaf log', () => {
    const hash = new VerifierHash(randomBytes(32));
    const leaves = Array.from({ length: 300 }, () => leafHash(randomBytes(20)));
    const root = new StreamingRoot(hash);
    expect(root.root().equals(Buffer.from(merkleRoot(leaves, 0)))).toBe(true);
    for (let size = 1; size <= leaves.length; size++) {
      root.push(Buffer.from(leaves[size - 1]!));
      expect(root.size).toBe(size);
      expect(root.root().toString('hex')).toBe(
        Buffer.from(merkleRoot(leaves, size)).toString('hex'),
      );
    }
  });

  it('seeded with a pruned prefix’s frontier, continues to the writer’s roots (ADR 0011)', () => {
    const hash = new VerifierHash(randomBytes(32));
    const leaves = Array.from({ length: 80 }, () => leafHash(randomBytes(20)));
    for (let pruned = 1; pruned <= 64; pruned++) {
      let frontier: Uint8Array[] = [];
      for (let i = 0; i < pruned; i++) frontier = appendToFrontier(frontier, i, leaves[i]!);
      const root = new StreamingRoot(hash);
      root.seed(pruned, frontier);
      expect(root.root().toString('hex')).toBe(
        Buffer.from(merkleRoot(leaves, pruned)).toString('hex'),
      );
      for (let size = pruned + 1; size <= leaves.length; size++) {
        root.push(Buffer.from(leaves[size - 1]!));
        expect(root.root().toString('hex')).toBe(
          Buffer.from(merkleRoot(leaves, size)).toString('hex'),
        );
      }
      expect(() => new StreamingRoot(hash).seed(pruned, frontier.slice(1))).toThrow(RangeError);
      expect(() => new StreamingRoot(hash).seed(pruned, [...frontier, frontier[0]!])).toThrow(
        RangeError,
      );
    }
  });
});
