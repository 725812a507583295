import type { Subject } from '../lib/harness';

export type Category = 'field' | 'blindIndex' | 'bulk';

/** How a case relates to the targets of the issue. */
export type Role =
  /** sodium-native: every ratio is relative to it. */
  | 'baseline'
  /** @harbour/crypto through its public API: the subject of the targets. */
  | 'harbour'
  /** A Harbour variant that isolates one cost (not a target subject). */
  | 'harbour-variant'
  /** A peer library the targets compare against. */
  | 'peer'
  /** Shown for context only. */
  | 'reference';

export interface Case extends Subject {
  readonly category: Category;
  readonly role: Role;
  /** Library and version, e.g. `sodium-native 5.1.0`. */
  readonly library: string;
  /** Bytes of associated data the caller passes (null: the scheme has none). */
  readonly callerAdBytes: number | null;
  /** Bytes of associated data that actually reach the AEAD, when they differ from the caller's. */
  readonly effectiveAdBytes: number | null;
  /** What one operation does, in words (goes to the JSON and the docs). */
  readonly describe: string;
  /**
   * Runs one operation outside the timing and checks its result (the round trip returns the
   * input; an index matches the reference value). Returns a short fact for the record, e.g.
   * the stored size of a ciphertext.
   */
  readonly check: () => Promise<CheckResult>;
}

export interface CheckResult {
  /** Size of the stored form of one 32-byte field (bytes, or characters for strings). */
  readonly storedSize?: number;
  readonly storedForm?: 'bytes' | 'string';
  /** For blind indexes: the index value computed for the bench input. */
  readonly indexValue?: number | string;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), b) === 0;
}

export function requireEqual(ok: boolean, what: string): void {
  if (!ok) throw new Error(`bench self-check failed: ${what}`);
}
