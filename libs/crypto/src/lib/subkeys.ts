import { utf8 } from './bytes';
import type { Sodium } from './sodium';

/**
 * Subkeys (docs/design.md §5: "derived per column and per index purpose, never reused") come from
 * libsodium's `crypto_kdf_derive_from_key` (BLAKE2b). The 8-character context names the purpose;
 * the 64-bit subkey id is the first 8 bytes (big-endian) of BLAKE2b-256 of the label.
 */
export const SUBKEY_CONTEXTS = {
  /** Field encryption, label `<table>.<column>`. */
  field: 'hbfield1',
  /** Blind indexes, label `<index name>`. */
  index: 'hbbidx01',
  /** Access-log checkpoint signing seed (Ed25519), label `checkpoint`. */
  auditSigning: 'hbaudsig',
  /** Access-log event MACs (HMAC-SHA256), label `event`. */
  auditMac: 'hbaudmac',
  /** Keyed MACs of retry state (`Idempotency-Key` values and request bodies), label `<what>`. */
  requestMac: 'hbreqmac',
  /** Device keys released to a signed-in console (docs/adr/0012), label `device-key`. */
  deviceKey: 'hbdevkey',
} as const;

export type SubkeyPurpose = keyof typeof SUBKEY_CONTEXTS;

export function subkeyId(sodium: Sodium, label: string): bigint {
  const digest = sodium.crypto_generichash(32, utf8(label), null);
  let id = 0n;
  for (let i = 0; i < 8; i++) id = (id << 8n) | BigInt(digest[i]!);
  return id;
}

export function deriveSubkey(
  sodium: Sodium,
  key: Uint8Array,
  purpose: SubkeyPurpose,
  label: string,
): Uint8Array {
  return sodium.crypto_kdf_derive_from_key(
    32,
    subkeyId(sodium, label),
    SUBKEY_CONTEXTS[purpose],
    key,
  );
}
