import { nodeHash } from '@harbour/crypto';

/**
 * The Merkle frontier of a log of `size` leaves: the roots of its complete subtrees, largest
 * first (one per set bit of `size`). Appending merges equal-sized subtrees; the RFC 6962 root is
 * the right fold of the frontier. O(log n) per append, no leaves kept.
 */
export function appendToFrontier(
  frontier: readonly Uint8Array[],
  size: number,
  leaf: Uint8Array,
): Uint8Array[] {
  const next = [...frontier];
  let hash = leaf;
  let carry = size;
  while ((carry & 1) === 1) {
    const left = next.pop();
    if (left === undefined) throw new Error('frontier does not match the log size');
    hash = nodeHash(left, hash);
    carry = Math.floor(carry / 2);
  }
  next.push(hash);
  return next;
}

export function frontierRoot(frontier: readonly Uint8Array[]): Uint8Array {
  if (frontier.length === 0) throw new Error('an empty log has no checkpoint');
  let root = frontier[frontier.length - 1]!;
  for (let i = frontier.length - 2; i >= 0; i--) root = nodeHash(frontier[i]!, root);
  return root;
}
