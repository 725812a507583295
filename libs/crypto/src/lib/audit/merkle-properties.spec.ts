import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { toHex } from '../bytes';
import * as writer from './merkle';
import * as verifier from './verifier';

/**
 * Cross-implementation properties: the writer (node:crypto) and the verifier (@noble/hashes)
 * agree on every root and every proof, and the verifier rejects mutated proofs (docs/security.md
 * T16, adversarial case 24).
 */

/** `n` distinct pseudo-random leaf hashes, fixed by `salt` (distinct, so an index is unique). */
function leaves(n: number, salt: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const digest = createHash('sha256').update(`leaf ${salt} ${i}`).digest();
    out.push(new Uint8Array(digest));
  }
  return out;
}

function flipBit(hash: Uint8Array, bit: number): Uint8Array {
  const out = Uint8Array.from(hash);
  out[bit >> 3]! ^= 1 << (bit & 7);
  return out;
}

/**
 * Which side each sibling of `index` is on, leaf first, from the RFC 6962 PATH recursion (an
 * oracle independent of the RFC 9162 bit arithmetic the verifier uses).
 */
function pathShape(index: number, size: number): string {
  const sides: string[] = [];
  let start = 0;
  let end = size;
  while (end - start > 1) {
    let k = 1;
    while (k * 2 < end - start) k *= 2;
    if (index < start + k) {
      sides.push('R');
      end = start + k;
    } else {
      sides.push('L');
      start += k;
    }
  }
  return sides.reverse().join('');
}

const leafSet = fc.record({
  n: fc.integer({ min: 0, max: 300 }),
  salt: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
});
const nonEmptyLeafSet = fc.record({
  n: fc.integer({ min: 1, max: 300 }),
  salt: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
});

describe('writer and verifier agree', () => {
  it('on the root of every prefix: merkleRoot = MerkleTree = CompactRange = RootAccumulator', () => {
    fc.assert(
      fc.property(leafSet, ({ n, salt }) => {
        const hashes = leaves(n, salt);
        const tree = new writer.MerkleTree(hashes);
        const range = new writer.CompactRange();
        const accumulator = new verifier.RootAccumulator();
        const expected = [toHex(tree.root(0))];
        const fromRange = [toHex(range.root())];
        const fromAccumulator = [toHex(accumulator.root())];
        hashes.forEach((hash, i) => {
          range.append(hash);
          accumulator.push(hash);
          expected.push(toHex(tree.root(i + 1)));
          fromRange.push(toHex(range.root()));
          fromAccumulator.push(toHex(accumulator.root()));
        });
        expect(fromRange).toEqual(expected);
        expect(fromAccumulator).toEqual(expected);
        const root = writer.merkleRoot(hashes);
        expect(toHex(root)).toBe(expected[n]);
        expect(toHex(verifier.rootFromLeaves(hashes))).toBe(expected[n]);
        expect(toHex(writer.CompactRange.from(range.size, range.frontier()).root())).toBe(
          expected[n],
        );
      }),
      { seed: 6962, numRuns: 30 },
    );
  });

  it('every inclusion proof verifies, for every index and every size, up to 40 leaves', () => {
    const hashes = leaves(40, 1);
    const tree = new writer.MerkleTree(hashes);
    for (let size = 1; size <= 40; size++) {
      const root = tree.root(size);
      for (let index = 0; index < size; index++) {
        const proof = tree.inclusionProof(index, size);
        expect(verifier.verifyInclusion(hashes[index]!, index, size, proof, root)).toBe(true);
      }
    }
  });

  it('every consistency proof verifies, for all m ≤ n ≤ 40', () => {
    const hashes = leaves(40, 2);
    const tree = new writer.MerkleTree(hashes);
    for (let n = 0; n <= 40; n++) {
      for (let m = 0; m <= n; m++) {
        const proof = tree.consistencyProof(m, n);
        expect(verifier.verifyConsistency(m, n, tree.root(m), tree.root(n), proof)).toBe(true);
      }
    }
  });

  it('on random trees of up to 300 leaves: every index at the full size and a random size', () => {
    fc.assert(
      fc.property(nonEmptyLeafSet, fc.nat(), ({ n, salt }, pick) => {
        const hashes = leaves(n, salt);
        const tree = new writer.MerkleTree(hashes);
        for (const size of new Set([n, 1 + (pick % n)])) {
          const root = tree.root(size);
          for (let index = 0; index < size; index++) {
            const proof = tree.inclusionProof(index, size);
            expect(verifier.verifyInclusion(hashes[index]!, index, size, proof, root)).toBe(true);
          }
        }
      }),
      { seed: 9162, numRuns: 15 },
    );
  });

  it('on random trees of up to 300 leaves: every m ≤ n at the full size and a random size', () => {
    fc.assert(
      fc.property(leafSet, fc.nat(), ({ n, salt }, pick) => {
        const hashes = leaves(n, salt);
        const tree = new writer.MerkleTree(hashes);
        for (const size of new Set([n, pick % (n + 1)])) {
          const root = tree.root(size);
          for (let m = 0; m <= size; m++) {
            const proof = tree.consistencyProof(m, size);
            expect(verifier.verifyConsistency(m, size, tree.root(m), root, proof)).toBe(true);
          }
        }
      }),
      { seed: 2009, numRuns: 15 },
    );
  });

  it('the free functions give the same proofs as MerkleTree', () => {
    fc.assert(
      fc.property(nonEmptyLeafSet, fc.nat(), fc.nat(), ({ n, salt }, a, b) => {
        const hashes = leaves(n, salt);
        const tree = new writer.MerkleTree(hashes);
        const size = 1 + (a % n);
        const index = b % size;
        expect(writer.inclusionProof(hashes, index, size)).toEqual(
          tree.inclusionProof(index, size),
        );
        expect(writer.consistencyProof(hashes, index, size)).toEqual(
          tree.consistencyProof(index, size),
        );
        expect(writer.merkleRoot(hashes, size)).toEqual(tree.root(size));
      }),
      { seed: 1, numRuns: 60 },
    );
  });
});

/** A tree of 2..300 distinct leaves with one valid (index, size) inclusion proof. */
const inclusionCase = fc
  .record({
    n: fc.integer({ min: 2, max: 300 }),
    salt: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    a: fc.nat(),
    b: fc.nat(),
  })
  .map(({ n, salt, a, b }) => {
    const hashes = leaves(n, salt);
    const tree = new writer.MerkleTree(hashes);
    const size = 2 + (a % (n - 1));
    const index = b % size;
    return { hashes, tree, n, size, index, proof: tree.inclusionProof(index, size) };
  });

/** A tree of 2..300 distinct leaves with one valid consistency proof for 0 < m < size. */
const consistencyCase = fc
  .record({
    n: fc.integer({ min: 2, max: 300 }),
    salt: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    a: fc.nat(),
    b: fc.nat(),
  })
  .map(({ n, salt, a, b }) => {
    const hashes = leaves(n, salt);
    const tree = new writer.MerkleTree(hashes);
    const size = 2 + (a % (n - 1));
    const m = 1 + (b % (size - 1));
    return { hashes, tree, n, size, m, proof: tree.consistencyProof(m, size) };
  });

describe('mutated inclusion proofs are rejected (docs/security.md case 24)', () => {
  const RUNS = { seed: 24, numRuns: 20 };

  it('any single bit flip in any proof element, in the leaf hash or in the root', () => {
    fc.assert(
      fc.property(inclusionCase, ({ hashes, tree, size, index, proof }) => {
        const leaf = hashes[index]!;
        const root = tree.root(size);
        expect(verifier.verifyInclusion(leaf, index, size, proof, root)).toBe(true);
        proof.forEach((element, i) => {
          for (let bit = 0; bit < 256; bit++) {
            const mutated = proof.map((h, j) => (j === i ? flipBit(element, bit) : h));
            expect(verifier.verifyInclusion(leaf, index, size, mutated, root)).toBe(false);
          }
        });
        for (let bit = 0; bit < 256; bit += 7) {
          expect(verifier.verifyInclusion(flipBit(leaf, bit), index, size, proof, root)).toBe(
            false,
          );
          expect(verifier.verifyInclusion(leaf, index, size, proof, flipBit(root, bit))).toBe(
            false,
          );
        }
      }),
      { seed: 24, numRuns: 6 },
    );
  });

  it('a wrong index (every other index of the tree)', () => {
    fc.assert(
      fc.property(inclusionCase, ({ hashes, tree, size, index, proof }) => {
        const root = tree.root(size);
        for (let other = 0; other < size; other++) {
          if (other === index) continue;
          expect(verifier.verifyInclusion(hashes[index]!, other, size, proof, root)).toBe(false);
          // Nor does the proof fit the leaf that really is at the other index.
          expect(verifier.verifyInclusion(hashes[other]!, other, size, proof, root)).toBe(false);
        }
      }),
      RUNS,
    );
  });

  it('a wrong tree size, with that size’s own root (as a checkpoint would pair them)', () => {
    fc.assert(
      fc.property(inclusionCase, ({ hashes, tree, n, size, index, proof }) => {
        for (let other = index + 1; other <= n; other++) {
          if (other === size) continue;
          const otherRoot = tree.root(other);
          expect(verifier.verifyInclusion(hashes[index]!, index, other, proof, otherRoot)).toBe(
            false,
          );
        }
      }),
      RUNS,
    );
  });

  it('a wrong tree size with the original root passes only where RFC 9162 cannot tell', () => {
    // An inclusion proof binds the leaf to the ROOT; the tree size enters only through the
    // shape of the path. Sizes that give the leaf the same path shape (e.g. leaf 0 in trees of
    // 5 to 8 leaves) verify alike, so the size must come from the same signed checkpoint as the
    // root. The verifier accepts exactly in those cases (oracle: the RFC 6962 recursion).
    fc.assert(
      fc.property(inclusionCase, ({ hashes, tree, n, size, index, proof }) => {
        const root = tree.root(size);
        const shape = pathShape(index, size);
        for (let other = index + 1; other <= n + 8; other++) {
          const accepted = verifier.verifyInclusion(hashes[index]!, index, other, proof, root);
          expect(accepted).toBe(pathShape(index, other) === shape);
        }
      }),
      RUNS,
    );
  });

  it('a truncated, extended or reordered proof', () => {
    fc.assert(
      fc.property(inclusionCase, ({ hashes, tree, size, index, proof }) => {
        const leaf = hashes[index]!;
        const root = tree.root(size);
        const verify = (p: readonly Uint8Array[]): boolean =>
          verifier.verifyInclusion(leaf, index, size, p, root);
        for (let length = 0; length < proof.length; length++) {
          expect(verify(proof.slice(0, length))).toBe(false);
          expect(verify(proof.slice(proof.length - length))).toBe(false);
        }
        const extra = [new Uint8Array(32), root, leaf, proof[0] ?? root];
        for (const hash of extra) {
          expect(verify([...proof, hash])).toBe(false);
          expect(verify([hash, ...proof])).toBe(false);
        }
        if (proof.length > 1) {
          const swapped = [proof[1]!, proof[0]!, ...proof.slice(2)];
          expect(verify(swapped)).toBe(false);
        }
      }),
      RUNS,
    );
  });

  it('a swapped root (another size’s root, the empty root, the leaf itself)', () => {
    fc.assert(
      fc.property(inclusionCase, ({ hashes, tree, n, size, index, proof }) => {
        const leaf = hashes[index]!;
        for (let other = 0; other <= n; other++) {
          if (other === size) continue;
          expect(verifier.verifyInclusion(leaf, index, size, proof, tree.root(other))).toBe(false);
        }
        expect(verifier.verifyInclusion(leaf, index, size, proof, leaf)).toBe(false);
      }),
      RUNS,
    );
  });
});

describe('mutated consistency proofs are rejected (docs/security.md case 24)', () => {
  const RUNS = { seed: 23, numRuns: 20 };

  it('any single bit flip in any proof element or either root', () => {
    fc.assert(
      fc.property(consistencyCase, ({ tree, size, m, proof }) => {
        const root1 = tree.root(m);
        const root2 = tree.root(size);
        expect(verifier.verifyConsistency(m, size, root1, root2, proof)).toBe(true);
        proof.forEach((element, i) => {
          for (let bit = 0; bit < 256; bit++) {
            const mutated = proof.map((h, j) => (j === i ? flipBit(element, bit) : h));
            expect(verifier.verifyConsistency(m, size, root1, root2, mutated)).toBe(false);
          }
        });
        for (let bit = 0; bit < 256; bit += 5) {
          expect(verifier.verifyConsistency(m, size, flipBit(root1, bit), root2, proof)).toBe(
            false,
          );
          expect(verifier.verifyConsistency(m, size, root1, flipBit(root2, bit), proof)).toBe(
            false,
          );
        }
      }),
      { seed: 23, numRuns: 4 },
    );
  });

  it('a wrong old or new size, with that size’s own root', () => {
    fc.assert(
      fc.property(consistencyCase, ({ tree, n, size, m, proof }) => {
        for (let other = 0; other <= size; other++) {
          if (other === m) continue;
          const ok = verifier.verifyConsistency(
            other,
            size,
            tree.root(other),
            tree.root(size),
            proof,
          );
          expect(ok).toBe(false);
        }
        for (let other = m; other <= n; other++) {
          if (other === size) continue;
          const ok = verifier.verifyConsistency(m, other, tree.root(m), tree.root(other), proof);
          expect(ok).toBe(false);
        }
      }),
      RUNS,
    );
  });

  it('a wrong old size with the original roots', () => {
    fc.assert(
      fc.property(consistencyCase, ({ tree, size, m, proof }) => {
        const root1 = tree.root(m);
        const root2 = tree.root(size);
        for (let other = 0; other <= size + 8; other++) {
          if (other === m) continue;
          expect(verifier.verifyConsistency(other, size, root1, root2, proof)).toBe(false);
        }
      }),
      RUNS,
    );
  });

  it('a truncated, extended or reordered proof, or swapped roots', () => {
    fc.assert(
      fc.property(consistencyCase, ({ tree, size, m, proof }) => {
        const root1 = tree.root(m);
        const root2 = tree.root(size);
        const verify = (p: readonly Uint8Array[]): boolean =>
          verifier.verifyConsistency(m, size, root1, root2, p);
        for (let length = 0; length < proof.length; length++) {
          expect(verify(proof.slice(0, length))).toBe(false);
          expect(verify(proof.slice(proof.length - length))).toBe(false);
        }
        for (const hash of [new Uint8Array(32), root1, root2, proof[0]!]) {
          expect(verify([...proof, hash])).toBe(false);
          expect(verify([hash, ...proof])).toBe(false);
        }
        if (proof.length > 1) expect(verify([proof[1]!, proof[0]!, ...proof.slice(2)])).toBe(false);
        expect(verifier.verifyConsistency(m, size, root2, root1, proof)).toBe(false);
        expect(verifier.verifyConsistency(m, size, root1, root1, proof)).toBe(false);
      }),
      RUNS,
    );
  });

  it('a new tree that rewrote history (one earlier leaf changed) has no valid proof', () => {
    fc.assert(
      fc.property(consistencyCase, fc.nat(), ({ hashes, tree, size, m }, pick) => {
        // A forged log of the same size in which one of the first m leaves was replaced (or
        // removed, or two were swapped), proved against the honest old head.
        const changed = pick % m;
        const edits = [
          hashes.map((h, i) => (i === changed ? flipBit(h, 0) : h)),
          [...hashes.slice(0, changed), ...hashes.slice(changed + 1)],
          hashes.map((h, i) =>
            i === changed ? hashes[changed + 1]! : i === changed + 1 ? hashes[changed]! : h,
          ),
        ];
        for (const edited of edits) {
          const forged = new writer.MerkleTree(edited);
          const forgedSize = Math.min(size, forged.size);
          if (forgedSize <= m) continue;
          const proof = forged.consistencyProof(m, forgedSize);
          const ok = verifier.verifyConsistency(
            m,
            forgedSize,
            tree.root(m),
            forged.root(forgedSize),
            proof,
          );
          expect(ok).toBe(false);
        }
      }),
      RUNS,
    );
  });
});

describe('CompactRange', () => {
  it('refuses a frontier that does not match the size, and hashes that are not 32 bytes', () => {
    const [a, b] = leaves(2, 3) as [Uint8Array, Uint8Array];
    expect(() => writer.CompactRange.from(3, [a])).toThrow(RangeError);
    expect(() => writer.CompactRange.from(1, [a, b])).toThrow(RangeError);
    expect(() => writer.CompactRange.from(1, [a.subarray(1)])).toThrow(RangeError);
    expect(() => writer.CompactRange.from(-1, [])).toThrow(RangeError);
    expect(() => new writer.CompactRange().append(new Uint8Array(31))).toThrow(RangeError);
    expect(() => new verifier.RootAccumulator().push(new Uint8Array(33))).toThrow(RangeError);
    expect(writer.CompactRange.from(0, []).root()).toEqual(writer.emptyTreeHash());
  });

  it('hands out copies: changing a returned hash changes nothing inside', () => {
    const range = new writer.CompactRange();
    for (const hash of leaves(3, 4)) range.append(hash);
    const root = range.root();
    range.frontier()[0]!.fill(0);
    range.root().fill(0);
    expect(range.root()).toEqual(root);
  });
});

describe('performance sanity (no timing assertion)', () => {
  it('merkleRoot over 1,000,000 leaf hashes completes without deep recursion', () => {
    // About 10^6 SHA-256 calls through node:crypto: 2–4 s on a small CI machine.
    const n = 1_000_000;
    const pool = randomBytes(32 * n);
    const hashes: Uint8Array[] = [];
    for (let i = 0; i < n; i++) hashes.push(pool.subarray(32 * i, 32 * i + 32));
    const root = writer.merkleRoot(hashes);
    expect(root).toHaveLength(32);
    // The same leaves appended one by one to the compact range agree on a prefix.
    const range = new writer.CompactRange();
    for (let i = 0; i < 1000; i++) range.append(hashes[i]!);
    expect(range.root()).toEqual(writer.merkleRoot(hashes, 1000));
  }, 30_000);
});
