import { merkleRoot, nodeHash } from '@harbour/crypto';

/**
 * RFC 6962 roots and proofs over a log whose prefix `[0, prunedSize)` was pruned
 * (docs/adr/0011-pruning-the-access-log.md): what is left is the prefix's frontier (the roots of
 * its complete subtrees, largest first, one per set bit of `prunedSize`) and the leaf hashes
 * from `prunedSize` on. The ADR proves that every subtree hash a root, inclusion proof or
 * consistency proof for sizes ≥ `prunedSize` needs is either a frontier node or computed from
 * remaining leaves; `hash` refuses, rather than guesses, if that were ever not so.
 */
export class PrunedTree {
  /** Frontier nodes by their range, `lo:hi`. */
  readonly #nodes = new Map<string, Uint8Array>();

  /**
   * @param prunedSize the pruned prefix's size (0: nothing pruned)
   * @param frontier the prefix's frontier, largest first
   * @param leaves the leaf hashes from `prunedSize` on, in order
   */
  constructor(
    readonly prunedSize: number,
    frontier: readonly Uint8Array[],
    private readonly leaves: readonly Uint8Array[],
  ) {
    const bits = frontierRanges(prunedSize);
    if (bits.length !== frontier.length) throw new Error('the frontier does not match its size');
    bits.forEach(([lo, hi], i) => this.#nodes.set(`${lo}:${hi}`, frontier[i]!));
  }

  /** Leaves in the tree: the pruned prefix and the remaining leaves. */
  get size(): number {
    return this.prunedSize + this.leaves.length;
  }

  /** The leaf hash at `index` (a remaining leaf). */
  leaf(index: number): Uint8Array {
    this.#remaining(index, index + 1);
    return this.leaves[index - this.prunedSize]!;
  }

  /** MTH of the first `size` leaves, `size ≥ prunedSize`. */
  root(size: number): Uint8Array {
    this.#within(size);
    return this.hash(0, size);
  }

  /** PATH(index, D[size]) for a remaining leaf `index < size`. */
  inclusionProof(index: number, size: number): Uint8Array[] {
    this.#within(size);
    this.#remaining(index, index + 1);
    if (index >= size) throw new RangeError('the leaf is not in the tree');
    const path: Uint8Array[] = [];
    let lo = 0;
    let hi = size;
    while (hi - lo > 1) {
      const k = split(hi - lo);
      if (index < lo + k) {
        path.push(this.hash(lo + k, hi));
        hi = lo + k;
      } else {
        path.push(this.hash(lo, lo + k));
        lo += k;
      }
    }
    return path.reverse();
  }

  /** PROOF(from, D[to]) for `prunedSize ≤ from ≤ to` (empty for from = 0 or from = to). */
  consistencyProof(from: number, to: number): Uint8Array[] {
    this.#within(to);
    if (from > to) throw new RangeError('from above to');
    if (from === 0 || from === to) return [];
    if (from < this.prunedSize) throw new RangeError('the older tree was pruned');
    return this.#subproof(from, 0, to, true);
  }

  /** SUBPROOF(m, D[lo:hi], b) of RFC 6962, §2.1.2. */
  #subproof(m: number, lo: number, hi: number, whole: boolean): Uint8Array[] {
    if (m === hi - lo) return whole ? [] : [this.hash(lo, hi)];
    const k = split(hi - lo);
    if (m <= k) return [...this.#subproof(m, lo, lo + k, whole), this.hash(lo + k, hi)];
    return [...this.#subproof(m - k, lo + k, hi, false), this.hash(lo, lo + k)];
  }

  /** MTH(D[lo:hi]) from frontier nodes and remaining leaves. */
  hash(lo: number, hi: number): Uint8Array {
    const node = this.#nodes.get(`${lo}:${hi}`);
    if (node !== undefined) return node;
    if (lo >= this.prunedSize) {
      return merkleRoot(this.leaves.slice(lo - this.prunedSize, hi - this.prunedSize));
    }
    if (hi - lo < 2) throw new RangeError(`leaf ${lo} was pruned`);
    const k = split(hi - lo);
    return nodeHash(this.hash(lo, lo + k), this.hash(lo + k, hi));
  }

  #within(size: number): void {
    if (size < this.prunedSize || size > this.size || (size === 0 && this.prunedSize > 0)) {
      throw new RangeError('the tree size is pruned or beyond the log');
    }
  }

  #remaining(lo: number, hi: number): void {
    if (lo < this.prunedSize || hi > this.size) throw new RangeError(`leaf ${lo} was pruned`);
  }
}

/** The ranges of the frontier of `[0, size)`: one per set bit, largest first. */
export function frontierRanges(size: number): [number, number][] {
  const ranges: [number, number][] = [];
  let lo = 0;
  for (let bit = 2 ** Math.floor(Math.log2(Math.max(size, 1))); bit >= 1; bit /= 2) {
    if (Math.floor(size / bit) % 2 === 1) {
      ranges.push([lo, lo + bit]);
      lo += bit;
    }
  }
  return ranges;
}

/** The largest power of two strictly below `n` (n ≥ 2). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
