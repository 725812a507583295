import { createPublicKey, verify as verifyEd25519, type KeyObject } from 'node:crypto';
import { parseCheckpointBody, type HarbourCrypto, type SecretKey } from '@harbour/crypto';
import type { AuditCheckpointEntity } from '../../data/audit/audit-checkpoint.entity';
import { logOrigin } from './event-format';

/**
 * What every stored checkpoint of one organisation's log is checked against (the verifier's
 * check; the access-log benchmark's instrumented loop calls the same function).
 */
export interface CheckpointKeys {
  /** The organisation's checkpoint public key (raw), from its audit key. */
  readonly expectedKey: Buffer;
  /** The same key for node:crypto (OpenSSL), which the writer never uses. */
  readonly publicKey: KeyObject;
  readonly origin: string;
}

/** The organisation's checkpoint key for node:crypto (OpenSSL), which the writer never uses. */
export function ed25519PublicKey(raw: Buffer): KeyObject {
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
    format: 'jwk',
  });
}

/** The keys an organisation's checkpoints must carry, from its audit key. */
export function checkpointKeysOf(
  crypto: HarbourCrypto,
  auditKey: SecretKey,
  organisationId: string,
): CheckpointKeys {
  const signing = crypto.auditSigningKey(auditKey);
  const expectedKey = Buffer.from(signing.publicKey);
  signing.destroy();
  return {
    expectedKey,
    publicKey: ed25519PublicKey(expectedKey),
    origin: logOrigin(organisationId),
  };
}

/**
 * Whether a stored checkpoint is this log's at size `treeSize` with root `root`: signed by the
 * organisation's key (verified with node:crypto), its body naming this log, this size and this
 * root, and its stored root the same.
 */
export function checkpointMatches(
  cp: Pick<AuditCheckpointEntity, 'body' | 'signature' | 'publicKey' | 'rootHash'>,
  treeSize: number,
  root: Buffer,
  keys: CheckpointKeys,
): boolean {
  const parsed = parseCheckpointBody(cp.body);
  return (
    cp.publicKey.equals(keys.expectedKey) &&
    verifyEd25519(null, Buffer.from(cp.body, 'utf8'), keys.publicKey, cp.signature) &&
    parsed.ok &&
    parsed.checkpoint.origin === keys.origin &&
    parsed.checkpoint.treeSize === treeSize &&
    root.equals(parsed.checkpoint.rootHash) &&
    root.equals(cp.rootHash)
  );
}
