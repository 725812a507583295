import { randomBytes } from 'node:crypto';
import { MerkleTree, merkleRoot } from '@harbour/crypto';
import { appendToFrontier } from './frontier';
import { PrunedTree } from './pruned-merkle';

/**
 * docs/adr/0011-pruning-the-access-log.md (b) and (c): with the prefix [0, p) kept only as its
 * frontier, every root, inclusion proof and consistency proof for sizes ≥ p is the one the full
 * tree gives, for every p ≤ n ≤ 40 (taking n as the whole remaining log); and what needs a pruned leaf is refused.
 */
describe('PrunedTree', () => {
  const leaves = Array.from({ length: 70 }, () => new Uint8Array(randomBytes(32)));
  const frontierOf = (p: number): Uint8Array[] => {
    let frontier: Uint8Array[] = [];
    for (let i = 0; i < p; i++) frontier = appendToFrontier(frontier, i, leaves[i]!);
    return frontier;
  };

  const hex = (hashes: Uint8Array | Uint8Array[]): string =>
    (Array.isArray(hashes) ? hashes : [hashes]).map((h) => Buffer.from(h).toString('hex')).join();

  it('gives the full tree’s roots and proofs for every size ≥ the pruned prefix', () => {
    const n = 40;
    const full = new MerkleTree(leaves.slice(0, n));
    for (let p = 0; p <= n; p++) {
      const tree = new PrunedTree(p, frontierOf(p), leaves.slice(p, n));
      {
        for (let size = Math.max(p, 1); size <= n; size++) {
          expect(hex(tree.root(size))).toBe(hex(merkleRoot(leaves, size)));
          for (let i = p; i < size; i++) {
            expect(hex(tree.inclusionProof(i, size))).toBe(hex(full.inclusionProof(i, size)));
          }
          for (let from = Math.max(p, 1); from <= size; from++) {
            expect(hex(tree.consistencyProof(from, size))).toBe(
              hex(full.consistencyProof(from, size)),
            );
          }
        }
      }
    }
  });

  it('refuses proofs that need a pruned leaf, and a frontier of the wrong length', () => {
    const tree = new PrunedTree(13, frontierOf(13), leaves.slice(13, 40));
    expect(() => tree.inclusionProof(12, 40)).toThrow(/pruned/);
    expect(() => tree.consistencyProof(12, 40)).toThrow(/pruned/);
    expect(() => tree.root(12)).toThrow(/pruned/);
    expect(() => tree.leaf(3)).toThrow(/pruned/);
    expect(() => new PrunedTree(13, frontierOf(12), [])).toThrow(/frontier/);
  });
});
