import { createHash } from 'node:crypto';

/**
 * The WRITER side of the access log's Merkle tree (RFC 6962 §2.1, same as RFC 9162 §2.1), hashed
 * with `node:crypto` SHA-256. The verifier (`verifier.ts`) is a separate implementation on
 * `@noble/hashes` and shares no hashing code with this file, so a bug in one is caught by the
 * other (docs/design.md §7).
 *
 * - `leafHash(d)        = SHA-256(0x00 ‖ d)` (d: the canonical event bytes, `canonical-json.ts`)
 * - `nodeHash(l, r)     = SHA-256(0x01 ‖ l ‖ r)`
 * - `MTH({})            = SHA-256()` (the empty string)
 * - `MTH({d0})          = leafHash(d0)`
 * - `MTH(D[n])          = nodeHash(MTH(D[0:k]), MTH(D[k:n]))`, k the largest power of two < n.
 *
 * Functions here take leaf HASHES (32 bytes each), not leaf data. Invalid arguments (sizes out
 * of range, hashes that are not 32 bytes) throw `RangeError`: the writer never guesses.
 */

export const HASH_BYTES = 32;

const LEAF_PREFIX = Uint8Array.of(0x00);

/** A `Buffer` digest as a plain `Uint8Array` over the same memory (no copy). */
function asBytes(digest: Buffer): Uint8Array {
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
}

/** SHA-256(0x00 ‖ data): the hash of one log entry. */
export function leafHash(data: Uint8Array): Uint8Array {
  return asBytes(createHash('sha256').update(LEAF_PREFIX).update(data).digest());
}

/** One reusable input buffer `0x01 ‖ left ‖ right` (JavaScript is single-threaded). */
const nodeInput = new Uint8Array(1 + 2 * HASH_BYTES);
nodeInput[0] = 0x01;

/** SHA-256(0x01 ‖ left ‖ right): an interior node. */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  checkHash(left);
  checkHash(right);
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + HASH_BYTES);
  return asBytes(createHash('sha256').update(nodeInput).digest());
}

/** MTH of the empty tree: SHA-256 of the empty string. */
export function emptyTreeHash(): Uint8Array {
  return asBytes(createHash('sha256').digest());
}

function checkHash(hash: Uint8Array): void {
  if (!(hash instanceof Uint8Array) || hash.length !== HASH_BYTES) {
    throw new RangeError(`expected a ${HASH_BYTES}-byte hash`);
  }
}

function checkSize(size: number, max: number, what: string): void {
  if (!Number.isSafeInteger(size) || size < 0 || size > max) {
    throw new RangeError(`${what} must be an integer from 0 to ${max}`);
  }
}

/** The largest power of two strictly less than `n` (n ≥ 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * MTH of the first `size` leaf hashes. Iterative, level by level, in one flat buffer of
 * ⌈size / 2⌉ hashes: pairing neighbours and carrying an odd last node up unchanged gives exactly
 * the RFC 6962 tree (whose left subtrees are always perfect). 10^6 leaves take about 10^6 hashes
 * and 16 MB.
 */
export function merkleRoot(
  leafHashes: readonly Uint8Array[],
  size = leafHashes.length,
): Uint8Array {
  checkSize(size, leafHashes.length, 'size');
  for (let i = 0; i < size; i++) checkHash(leafHashes[i]!);
  if (size === 0) return emptyTreeHash();
  if (size === 1) return Uint8Array.from(leafHashes[0]!);

  const input = new Uint8Array(1 + 2 * HASH_BYTES);
  input[0] = 0x01;
  let count = Math.ceil(size / 2);
  const level = new Uint8Array(count * HASH_BYTES);
  for (let i = 0; i + 1 < size; i += 2) {
    input.set(leafHashes[i]!, 1);
    input.set(leafHashes[i + 1]!, 1 + HASH_BYTES);
    level.set(createHash('sha256').update(input).digest(), (i / 2) * HASH_BYTES);
  }
  if (size % 2 === 1) level.set(leafHashes[size - 1]!, (count - 1) * HASH_BYTES);

  // Each pass halves `count` in place: node j of the next level overwrites node 2j, which
  // has already been read.
  while (count > 1) {
    const next = Math.ceil(count / 2);
    for (let i = 0; i + 1 < count; i += 2) {
      input.set(level.subarray(i * HASH_BYTES, (i + 2) * HASH_BYTES), 1);
      level.set(createHash('sha256').update(input).digest(), (i / 2) * HASH_BYTES);
    }
    if (count % 2 === 1) {
      level.copyWithin((next - 1) * HASH_BYTES, (count - 1) * HASH_BYTES, count * HASH_BYTES);
    }
    count = next;
  }
  return level.slice(0, HASH_BYTES);
}

/**
 * A fixed list of leaf hashes with every perfect subtree hashed once (about n hashes and 32·2n
 * bytes), so that roots of any prefix and proofs cost O(log² n) hashes each. Use it to serve many
 * proofs over one snapshot of the log; `inclusionProof`/`consistencyProof` build one per call.
 */
export class MerkleTree {
  /** `levels[h]` holds the hashes of the perfect subtrees of 2^h leaves, left to right. */
  readonly #levels: Uint8Array[];
  readonly size: number;

  constructor(leafHashes: readonly Uint8Array[]) {
    const size = leafHashes.length;
    const leaves = new Uint8Array(size * HASH_BYTES);
    for (let i = 0; i < size; i++) {
      const leaf = leafHashes[i]!;
      checkHash(leaf);
      leaves.set(leaf, i * HASH_BYTES);
    }
    this.size = size;
    this.#levels = [leaves];
    const input = new Uint8Array(1 + 2 * HASH_BYTES);
    input[0] = 0x01;
    for (
      let below = leaves, count = Math.floor(size / 2);
      count > 0;
      count = Math.floor(count / 2)
    ) {
      const level = new Uint8Array(count * HASH_BYTES);
      for (let j = 0; j < count; j++) {
        input.set(below.subarray(2 * j * HASH_BYTES, (2 * j + 2) * HASH_BYTES), 1);
        level.set(createHash('sha256').update(input).digest(), j * HASH_BYTES);
      }
      this.#levels.push(level);
      below = level;
    }
  }

  /** The hash of the perfect subtree of 2^height leaves starting at leaf `index · 2^height`. */
  #perfect(height: number, index: number): Uint8Array {
    const level = this.#levels[height]!;
    return level.slice(index * HASH_BYTES, (index + 1) * HASH_BYTES);
  }

  /**
   * MTH(D[start:end]) for a range of the RFC 6962 decomposition: `start` is a multiple of the
   * largest power of two ≤ end − start. The range splits into perfect subtrees of decreasing
   * size, folded from the right.
   */
  #range(start: number, end: number): Uint8Array {
    const parts: Uint8Array[] = [];
    while (start < end) {
      let height = 0;
      while (2 ** (height + 1) <= end - start) height++;
      const width = 2 ** height;
      if (start % width !== 0) throw new Error('internal error: unaligned subtree');
      parts.push(this.#perfect(height, start / width));
      start += width;
    }
    let hash = parts.pop()!;
    while (parts.length > 0) hash = nodeHash(parts.pop()!, hash);
    return hash;
  }

  /** MTH of the first `size` leaves. */
  root(size = this.size): Uint8Array {
    checkSize(size, this.size, 'size');
    return size === 0 ? emptyTreeHash() : this.#range(0, size);
  }

  /**
   * PATH(index, D[size]) (RFC 6962 §2.1.1; RFC 9162 §2.1.3.1): the sibling hashes from the leaf
   * up to the root. Empty for a tree of one leaf.
   */
  inclusionProof(index: number, size = this.size): Uint8Array[] {
    checkSize(size, this.size, 'size');
    if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
      throw new RangeError('index must be an integer from 0 to size - 1');
    }
    // PATH(m, D[start:end]) = PATH(...) : sibling. Walk down from the root collecting siblings,
    // then return them leaf-first.
    const siblings: Uint8Array[] = [];
    let start = 0;
    let end = size;
    while (end - start > 1) {
      const k = splitPoint(end - start);
      if (index < start + k) {
        siblings.push(this.#range(start + k, end));
        end = start + k;
      } else {
        siblings.push(this.#range(start, start + k));
        start += k;
      }
    }
    return siblings.reverse();
  }

  /**
   * PROOF(m, D[n]) (RFC 6962 §2.1.2; RFC 9162 §2.1.4.1) for 0 ≤ m ≤ n ≤ size.
   *
   * m = n and m = 0 give an EMPTY proof: a tree is trivially consistent with itself, and the
   * empty tree (root SHA-256()) with every tree. RFC 9162 only defines proofs for 0 < m < n;
   * the verifier accepts these two cases only with an empty proof, equal roots for m = n, and
   * the empty-tree root for m = 0.
   */
  consistencyProof(m: number, n = this.size): Uint8Array[] {
    checkSize(n, this.size, 'n');
    checkSize(m, n, 'm');
    if (m === 0 || m === n) return [];
    // SUBPROOF(m, D[start:end], b), iteratively: each step appends one node after the proof of
    // a smaller subtree, so nodes are collected outside-in and reversed at the end.
    const outer: Uint8Array[] = [];
    let start = 0;
    let end = n;
    let complete = true; // b: whether D[start:m] is a subtree known to the verifier as a root.
    while (m !== end) {
      const k = splitPoint(end - start);
      if (m <= start + k) {
        outer.push(this.#range(start + k, end));
        end = start + k;
      } else {
        outer.push(this.#range(start, start + k));
        start += k;
        complete = false;
      }
    }
    const proof = complete ? [] : [this.#range(start, end)];
    return proof.concat(outer.reverse());
  }
}

/** PATH(index, D[size]) over the first `size` leaf hashes (builds a `MerkleTree`: O(size)). */
export function inclusionProof(
  leafHashes: readonly Uint8Array[],
  index: number,
  size = leafHashes.length,
): Uint8Array[] {
  checkSize(size, leafHashes.length, 'size');
  return new MerkleTree(leafHashes.slice(0, size)).inclusionProof(index, size);
}

/** PROOF(m, D[n]) over the first `n` leaf hashes; empty for m = 0 and m = n (see `MerkleTree`). */
export function consistencyProof(
  leafHashes: readonly Uint8Array[],
  m: number,
  n = leafHashes.length,
): Uint8Array[] {
  checkSize(n, leafHashes.length, 'n');
  return new MerkleTree(leafHashes.slice(0, n)).consistencyProof(m, n);
}

/**
 * The append path: the log's current root in O(log n) memory and amortised O(1) hashes per
 * append (at most log₂ n), without the leaves. It keeps the roots of the perfect subtrees that
 * make up the tree (its "frontier" or compact range [0, size)), largest first, one per set bit
 * of `size`. Persist `size` and `frontier()` with each checkpoint and resume with
 * `CompactRange.from`.
 */
export class CompactRange {
  #size = 0;
  readonly #frontier: Uint8Array[] = [];

  /** Resumes from a stored frontier (exactly one hash per set bit of `size`, largest first). */
  static from(size: number, frontier: readonly Uint8Array[]): CompactRange {
    checkSize(size, Number.MAX_SAFE_INTEGER, 'size');
    let bits = 0;
    for (let rest = size; rest > 0; rest = Math.floor(rest / 2)) bits += rest % 2;
    if (frontier.length !== bits) throw new RangeError('frontier does not match size');
    const range = new CompactRange();
    for (const hash of frontier) {
      checkHash(hash);
      range.#frontier.push(Uint8Array.from(hash));
    }
    range.#size = size;
    return range;
  }

  get size(): number {
    return this.#size;
  }

  /** Copies of the perfect-subtree roots, largest (leftmost) first. */
  frontier(): Uint8Array[] {
    return this.#frontier.map((hash) => Uint8Array.from(hash));
  }

  append(leafHash: Uint8Array): void {
    checkHash(leafHash);
    if (this.#size >= Number.MAX_SAFE_INTEGER) throw new RangeError('log is full');
    // Adding a leaf is a binary increment of `size`: every trailing 1 bit is a perfect
    // subtree of the same size as the carry, merged into it.
    let hash: Uint8Array = Uint8Array.from(leafHash);
    for (let rest = this.#size; rest % 2 === 1; rest = Math.floor(rest / 2)) {
      hash = nodeHash(this.#frontier.pop()!, hash);
    }
    this.#frontier.push(hash);
    this.#size++;
  }

  /** MTH of everything appended: the frontier folded from the right. */
  root(): Uint8Array {
    if (this.#frontier.length === 0) return emptyTreeHash();
    let hash = this.#frontier[this.#frontier.length - 1]!;
    for (let i = this.#frontier.length - 2; i >= 0; i--) hash = nodeHash(this.#frontier[i]!, hash);
    return Uint8Array.from(hash);
  }
}
