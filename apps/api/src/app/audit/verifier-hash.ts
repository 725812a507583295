import sodium from 'sodium-native';

/**
 * The verifier's own SHA-256, HMAC-SHA256 and Merkle arithmetic (docs/design.md §7: the verifier
 * uses a different implementation from the writer). The writer hashes with node:crypto
 * (OpenSSL); this file hashes with libsodium's native SHA-256 through sodium-native, and shares
 * no code with `merkle.ts` or `frontier.ts`. Every call is one-shot over reused buffers, and the
 * per-event paths allocate nothing: a verification hashes millions of short inputs, and call
 * overhead and garbage collection would otherwise cost more than the hashing. Unit tests check
 * every function against the writer's on random inputs and published vectors.
 */

const HASH = 32;
const BLOCK = 64;

function sha256Into(output: Buffer, input: Buffer): Buffer {
  sodium.crypto_hash_sha256(output, input);
  return output;
}

/** A whole 32-byte hash (no offset), or 32 bytes at `offset` inside a larger buffer. */
function checkedOffset(buffer: Buffer, offset: number | undefined): number {
  const whole = offset === undefined;
  const at = offset ?? 0;
  if (
    (whole && buffer.length !== HASH) ||
    !Number.isInteger(at) ||
    at < 0 ||
    at + HASH > buffer.length
  ) {
    throw new RangeError(`expected a ${HASH}-byte hash`);
  }
  return at;
}

export class VerifierHash {
  #scratch = Buffer.alloc(4096);
  readonly #node = Buffer.alloc(1 + 2 * HASH);
  readonly #inner = Buffer.alloc(BLOCK + 8 + HASH);
  readonly #outer = Buffer.alloc(BLOCK + HASH);
  readonly #expected = Buffer.alloc(HASH);
  readonly #digest = Buffer.alloc(HASH);

  /** HMAC-SHA256 key (at most one block, as the audit MAC key is). */
  constructor(macKey: Uint8Array) {
    if (macKey.length > BLOCK) throw new RangeError('MAC key longer than one block');
    for (let i = 0; i < BLOCK; i++) {
      const k = macKey[i] ?? 0;
      this.#inner[i] = k ^ 0x36;
      this.#outer[i] = k ^ 0x5c;
    }
    this.#node[0] = 0x01;
  }

  /** Leaf hash: SHA-256(0x00 ‖ event), into `out` (32 bytes; a new buffer by default). */
  leaf(event: Uint8Array, out: Buffer = Buffer.alloc(HASH)): Buffer {
    this.#reserve(event.length + 1);
    this.#scratch[0] = 0x00;
    this.#scratch.set(event, 1);
    return sha256Into(out, this.#scratch.subarray(0, event.length + 1));
  }

  /**
   * Leaf hash of an event given as text: SHA-256(0x00 ‖ UTF-8 of `event`), into `out`. The
   * verifier reads stored event bytes as text (they are UTF-8, which the database checks), so
   * this is the bytes the writer hashed.
   */
  leafOfText(event: string, out: Buffer = Buffer.alloc(HASH)): Buffer {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    this.#reserve(event.length * 3 + 1);
    this.#scratch[0] = 0x00;
    const length = this.#scratch.write(event, 1, 'utf8');
    return sha256Into(out, this.#scratch.subarray(0, length + 1));
  }

  /**
   * Whether SHA-256(`prefixed[start, end)`) — an event with its 0x00 leaf prefix already in
   * place at `start` — equals the 32 bytes of `expected` at `offset`. Allocates nothing.
   */
  leafMatches(
    prefixed: Buffer,
    start: number,
    end: number,
    expected: Buffer,
    offset: number,
  ): boolean {
    if (prefixed[start] !== 0x00) throw new RangeError('the leaf prefix must be in place');
    sha256Into(this.#digest, prefixed.subarray(start, end));
    return this.#digest.compare(expected, offset, offset + HASH) === 0;
  }

  /** Whether `hash` equals the 32 bytes written as 64 hex digits in `hex`. */
  equalsHex(hash: Uint8Array, hex: string): boolean {
    if (hex.length !== 2 * HASH) return false;
    return this.#expected.write(hex, 'hex') === HASH && this.#expected.equals(hash);
  }

  /** Node hash: SHA-256(0x01 ‖ left ‖ right), into `out` (which may be `left` or `right`). */
  node(left: Uint8Array, right: Uint8Array, out: Buffer = Buffer.alloc(HASH)): Buffer {
    if (left.length !== HASH || right.length !== HASH) {
      throw new RangeError(`expected ${HASH}-byte hashes`);
    }
    this.#node.set(left, 1);
    this.#node.set(right, 1 + HASH);
    return sha256Into(out, this.#node);
  }

  /**
   * The event MAC: HMAC-SHA256(key, seq as 8 bytes big-endian ‖ leaf hash), the leaf being the
   * 32 bytes of `leaf` at `offset`.
   */
  mac(seq: number, leaf: Buffer, offset?: number, out: Buffer = Buffer.alloc(HASH)): Buffer {
    const at = checkedOffset(leaf, offset);
    this.#inner.writeBigUInt64BE(BigInt(seq), BLOCK);
    leaf.copy(this.#inner, BLOCK + 8, at, at + HASH);
    sha256Into(this.#outer.subarray(BLOCK), this.#inner);
    return sha256Into(out, this.#outer);
  }

  /** HMAC-SHA256(key, `message`) of any message (the log head's MAC). */
  macMessage(message: Uint8Array): Buffer {
    const inner = Buffer.alloc(BLOCK + message.length);
    this.#inner.copy(inner, 0, 0, BLOCK);
    inner.set(message, BLOCK);
    const outer = Buffer.alloc(BLOCK + HASH);
    this.#outer.copy(outer, 0, 0, BLOCK);
    sha256Into(outer.subarray(BLOCK), inner);
    return sha256Into(Buffer.alloc(HASH), outer);
  }

  /** The RFC 6962 root of a Merkle frontier (roots of complete subtrees, largest first). */
  frontierRoot(frontier: readonly Uint8Array[]): Buffer {
    if (frontier.length === 0) return VerifierHash.emptyRoot();
    let root: Buffer = Buffer.from(frontier[frontier.length - 1]!);
    for (let i = frontier.length - 2; i >= 0; i--) root = this.node(frontier[i]!, root, root);
    return root;
  }

  /** SHA-256 of the empty string: the root of the empty tree. */
  static emptyRoot(): Buffer {
    return sha256Into(Buffer.alloc(HASH), Buffer.alloc(0));
  }

  #reserve(bytes: number): void {
    if (bytes > this.#scratch.length) {
      this.#scratch = Buffer.alloc(Math.max(bytes, this.#scratch.length * 2));
    }
  }
}

/**
 * Tree heads while leaves stream past, in O(log n) memory and without allocating per leaf:
 * `peaks` holds, at slot h, the root of the perfect subtree of 2^h leaves when bit h of the
 * count is set (a binary counter); `root()` folds the peaks from the smallest (rightmost) up,
 * as RFC 9162 splits the tree.
 */
export class StreamingRoot {
  readonly #peaks = Buffer.alloc(64 * HASH);
  readonly #carry = Buffer.alloc(HASH);
  #size = 0;

  constructor(private readonly hash: VerifierHash) {}

  get size(): number {
    return this.#size;
  }

  /**
   * Starts from a pruned prefix of `size` leaves given as its frontier (the roots of its
   * complete subtrees, largest first, one per set bit of `size`); only on an empty accumulator.
   */
  seed(size: number, frontier: readonly Uint8Array[]): void {
    if (this.#size !== 0) throw new Error('only an empty accumulator is seeded');
    let next = 0;
    for (let height = 63; height >= 0; height--) {
      if (Math.floor(size / 2 ** height) % 2 === 1) {
        const node = frontier[next++];
        if (node?.length !== HASH) throw new RangeError('frontier too short');
        this.#peaks.set(node, height * HASH);
      }
    }
    if (next !== frontier.length) throw new RangeError('frontier too long');
    this.#size = size;
  }

  /** Adds the leaf hash `leaf[offset, offset + 32)` (the whole of `leaf` by default). */
  push(leaf: Buffer, offset?: number): void {
    const at = checkedOffset(leaf, offset);
    const carry = this.#carry;
    leaf.copy(carry, 0, at, at + HASH);
    let height = 0;
    // Sizes stay far below 2^53, so the carry bits are read arithmetically.
    for (let size = this.#size; size % 2 === 1; size = Math.floor(size / 2)) {
      this.hash.node(this.#peak(height), carry, carry);
      height++;
    }
    carry.copy(this.#peaks, height * HASH);
    this.#size++;
  }

  root(): Buffer {
    let root: Buffer | undefined;
    let height = 0;
    for (let size = this.#size; size > 0; size = Math.floor(size / 2), height++) {
      if (size % 2 === 1) {
        root =
          root === undefined
            ? Buffer.from(this.#peak(height))
            : this.hash.node(this.#peak(height), root, root);
      }
    }
    return root ?? VerifierHash.emptyRoot();
  }

  #peak(height: number): Buffer {
    return this.#peaks.subarray(height * HASH, (height + 1) * HASH);
  }
}
