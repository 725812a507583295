import { InjectionToken } from '@angular/core';
import type { CheckpointView, InclusionProofView } from '@harbour/domain';

/** SHA-256 of some bytes. */
export type Sha256 = (data: Uint8Array<ArrayBuffer>) => Promise<Uint8Array<ArrayBuffer>>;

/**
 * The browser's own SHA-256 (Web Crypto), or null where it is missing (an insecure origin). An
 * inclusion proof is then shown but not re-checked here.
 */
export const SHA256 = new InjectionToken<Sha256 | null>('SHA256', {
  providedIn: 'root',
  factory: () => {
    const subtle = globalThis.crypto?.subtle as SubtleCrypto | undefined;
    if (subtle === undefined) return null;
    return async (data) => new Uint8Array(await subtle.digest('SHA-256', data));
  },
});

/**
 * What this browser found when it re-computed the root from an inclusion proof: it matches the
 * signed checkpoint's root, it does not, or it could not be checked (no Web Crypto, or hashes in
 * a form this console does not read).
 */
export type ProofCheck = 'match' | 'mismatch' | 'unchecked';

const HASH_BYTES = 32;

function fromBase64(value: string): Uint8Array<ArrayBuffer> | null {
  try {
    const binary = atob(value);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes.length === HASH_BYTES ? bytes : null;
  } catch {
    return null;
  }
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** SHA-256(0x01 ‖ left ‖ right): an interior node of the RFC 6962 tree. */
async function node(
  hash: Sha256,
  left: Uint8Array<ArrayBuffer>,
  right: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  const data = new Uint8Array(1 + left.length + right.length);
  data[0] = 0x01;
  data.set(left, 1);
  data.set(right, 1 + left.length);
  return hash(data);
}

/**
 * Re-computes the root of a tree of `treeSize` leaves from the leaf at `leafIndex` and its
 * audit path, as RFC 9162 §2.1.3.2 describes (the same tree as RFC 6962). Null when the path has
 * the wrong length for that position.
 */
export async function rootFromInclusionProof(
  hash: Sha256,
  leafIndex: number,
  treeSize: number,
  leafHash: Uint8Array<ArrayBuffer>,
  proof: readonly Uint8Array<ArrayBuffer>[],
): Promise<Uint8Array<ArrayBuffer> | null> {
  if (!Number.isSafeInteger(leafIndex) || !Number.isSafeInteger(treeSize)) return null;
  if (leafIndex < 0 || leafIndex >= treeSize) return null;
  // Plain arithmetic rather than bit operators, which would cut the numbers to 32 bits.
  let fn = leafIndex;
  let sn = treeSize - 1;
  let root = leafHash;
  for (const sibling of proof) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      root = await node(hash, sibling, root);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      root = await node(hash, root, sibling);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? root : null;
}

/**
 * Checks, in this browser, that `proof` places the event `seq` in the tree whose root the
 * checkpoint signs. (The leaf hash itself comes from the server: the console does not rebuild
 * the canonical event, so this shows the proof is consistent, not that the row is unchanged;
 * full verification is the server's and the CLI's job.)
 */
export async function checkInclusionProof(
  hash: Sha256 | null,
  seq: number,
  proof: InclusionProofView,
  checkpoint: CheckpointView,
): Promise<ProofCheck> {
  if (proof.leafIndex !== seq || proof.treeSize !== checkpoint.treeSize) return 'mismatch';
  const leaf = fromBase64(proof.leafHash);
  const claimedRoot = fromBase64(proof.rootHash);
  const signedRoot = fromBase64(checkpoint.rootHash);
  const path = proof.proof.map(fromBase64);
  if (leaf === null || claimedRoot === null || signedRoot === null) return 'unchecked';
  if (path.some((sibling) => sibling === null)) return 'unchecked';
  if (!equal(claimedRoot, signedRoot)) return 'mismatch';
  if (hash === null) return 'unchecked';
  try {
    const root = await rootFromInclusionProof(
      hash,
      proof.leafIndex,
      proof.treeSize,
      leaf,
      path as Uint8Array<ArrayBuffer>[],
    );
    return root !== null && equal(root, signedRoot) ? 'match' : 'mismatch';
  } catch {
    return 'unchecked';
  }
}
