import { ed25519 } from '@noble/curves/ed25519';
import { sha256 } from '@noble/hashes/sha256';
import { checkpointBodyBytes, parseCheckpointBody, type Checkpoint } from './checkpoint-format';

/**
 * The VERIFIER side of the access log: a second, independent implementation of the RFC 6962 /
 * RFC 9162 Merkle tree and of checkpoint signatures, built only on `@noble/hashes` (SHA-256) and
 * `@noble/curves` (Ed25519). It shares no hashing or signature code with the writer
 * (`merkle.ts` on `node:crypto`, signing through libsodium), so a defect in either shows up as a
 * disagreement instead of being reproduced on both sides (docs/design.md §7).
 *
 * Every `verify*` function returns `false` (or `{ ok: false }`) for any malformed input —
 * hashes that are not 32 bytes, sizes that are not non-negative safe integers, proofs of the
 * wrong length — and never throws. Sizes and indices may be any safe integer: the bit
 * operations of RFC 9162 are done arithmetically, not with 32-bit operators.
 */

export const HASH_BYTES = 32;

const EMPTY_TREE_HASH: Uint8Array = sha256(new Uint8Array(0));

/** SHA-256(0x00 ‖ data). */
export function leafHash(data: Uint8Array): Uint8Array {
  return sha256.create().update(Uint8Array.of(0x00)).update(data).digest();
}

/** SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (!isHash(left) || !isHash(right)) throw new RangeError(`expected ${HASH_BYTES}-byte hashes`);
  return sha256.create().update(Uint8Array.of(0x01)).update(left).update(right).digest();
}

/** MTH({}): SHA-256 of the empty string. */
export function emptyTreeHash(): Uint8Array {
  return EMPTY_TREE_HASH.slice();
}

function isHash(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && value.length === HASH_BYTES;
}

function isSize(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isProof(value: unknown): value is readonly Uint8Array[] {
  return Array.isArray(value) && value.every(isHash);
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}

const isOdd = (n: number): boolean => n % 2 === 1;
const half = (n: number): number => Math.floor(n / 2);

/**
 * Computes tree heads while leaves stream past, in O(log n) memory: push each leaf hash in
 * order and ask for `root()` whenever the count reaches a size to check (a checkpoint's tree
 * size). `peaks[h]` is the root of the perfect subtree of 2^h leaves present when bit h of the
 * count is set, like the digits of a binary counter.
 */
export class RootAccumulator {
  readonly #peaks: (Uint8Array | undefined)[] = [];
  #size = 0;

  /** Number of leaves pushed. */
  get size(): number {
    return this.#size;
  }

  push(leafHash: Uint8Array): void {
    if (!isHash(leafHash)) throw new RangeError(`expected a ${HASH_BYTES}-byte leaf hash`);
    let carry: Uint8Array = leafHash.slice();
    let height = 0;
    for (let peak = this.#peaks[height]; peak !== undefined; peak = this.#peaks[height]) {
      carry = nodeHash(peak, carry);
      this.#peaks[height] = undefined;
      height++;
    }
    this.#peaks[height] = carry;
    this.#size++;
  }

  /** MTH of the leaves pushed so far: the peaks folded from the smallest (rightmost) up. */
  root(): Uint8Array {
    let hash: Uint8Array | undefined;
    for (const peak of this.#peaks) {
      if (peak !== undefined) hash = hash === undefined ? peak : nodeHash(peak, hash);
    }
    return hash === undefined ? emptyTreeHash() : hash.slice();
  }
}

/** MTH of all the leaf hashes (any iterable, consumed once). */
export function rootFromLeaves(leafHashes: Iterable<Uint8Array>): Uint8Array {
  const accumulator = new RootAccumulator();
  for (const hash of leafHashes) accumulator.push(hash);
  return accumulator.root();
}

/**
 * RFC 9162 §2.1.3.2: does `proof` show that `leafHash` is leaf `index` of the tree of
 * `treeSize` leaves whose root is `root`?
 */
export function verifyInclusion(
  leafHash: Uint8Array,
  index: number,
  treeSize: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!isHash(leafHash) || !isHash(root) || !isProof(proof)) return false;
  if (!isSize(index) || !isSize(treeSize) || index >= treeSize) return false;
  let fn = index;
  let sn = treeSize - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equalBytes(r, root);
}

/**
 * RFC 9162 §2.1.4.2: does `proof` show that the tree of `size2` leaves with root `root2` extends
 * the tree of `size1` leaves with root `root1`?
 *
 * The RFC defines the algorithm for 0 < size1 < size2. The two edge cases, which the writer
 * answers with an empty proof, are accepted only with an empty proof and:
 * - size1 = size2: root1 = root2 (a tree is consistent with itself only);
 * - size1 = 0: root1 = SHA-256() (the empty tree's root), whatever size2 and root2 are.
 */
export function verifyConsistency(
  size1: number,
  size2: number,
  root1: Uint8Array,
  root2: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!isHash(root1) || !isHash(root2) || !isProof(proof)) return false;
  if (!isSize(size1) || !isSize(size2) || size1 > size2) return false;
  if (size1 === 0) {
    return (
      proof.length === 0 &&
      equalBytes(root1, EMPTY_TREE_HASH) &&
      (size2 > 0 || equalBytes(root2, EMPTY_TREE_HASH))
    );
  }
  if (size1 === size2) return proof.length === 0 && equalBytes(root1, root2);

  // 1. An empty proof fails.
  if (proof.length === 0) return false;
  // 2. If size1 is an exact power of two, the first subtree is root1 itself.
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : [...proof];
  // 3.-4.
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  // 5.
  let fr = path[0]!;
  let sr = path[0]!;
  // 6.
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  // 7.
  return sn === 0 && equalBytes(fr, root1) && equalBytes(sr, root2);
}

function isPowerOfTwo(n: number): boolean {
  let rest = n;
  while (rest > 1 && !isOdd(rest)) rest = half(rest);
  return rest === 1;
}

export type CheckpointFailure =
  | 'malformed_public_key'
  | 'malformed_signature'
  | 'bad_signature'
  | 'invalid_origin'
  | 'invalid_tree_size'
  | 'invalid_root_hash'
  | 'invalid_timestamp'
  | 'invalid_layout';

export type CheckpointVerification =
  | { readonly ok: true; readonly checkpoint: Checkpoint }
  | { readonly ok: false; readonly reason: CheckpointFailure };

/**
 * Checks a checkpoint's Ed25519 signature over the UTF-8 bytes of `body` with `publicKey`
 * (32 bytes), then parses the body strictly (`parseCheckpointBody`). Verification follows
 * RFC 8032 strictly (noble's `zip215: false`): non-canonical encodings of R, S or the key, and
 * small-order public keys, are refused, as libsodium refuses them. Never throws.
 */
export function verifyCheckpoint(
  body: string,
  signature: Uint8Array,
  publicKey: Uint8Array,
): CheckpointVerification {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) {
    return { ok: false, reason: 'malformed_public_key' };
  }
  if (!(signature instanceof Uint8Array) || signature.length !== 64) {
    return { ok: false, reason: 'malformed_signature' };
  }
  if (typeof body !== 'string') return { ok: false, reason: 'invalid_layout' };
  let valid: boolean;
  try {
    valid = ed25519.verify(signature, checkpointBodyBytes(body), publicKey, { zip215: false });
  } catch {
    valid = false;
  }
  if (!valid) return { ok: false, reason: 'bad_signature' };
  const parsed = parseCheckpointBody(body);
  return parsed.ok ? { ok: true, checkpoint: parsed.checkpoint } : parsed;
}
