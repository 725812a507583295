import type { HarbourCrypto } from '../harbour-crypto';
import type { SigningKey } from '../signing';
import { checkpointBody, checkpointBodyBytes, type Checkpoint } from './checkpoint-format';

export interface SignedCheckpoint {
  /** The exact text that was signed (see `checkpoint-format.ts`). */
  readonly body: string;
  /** Ed25519 signature (64 bytes) over the UTF-8 bytes of `body`. */
  readonly signature: Uint8Array;
}

/**
 * The WRITER's checkpoint: formats the body and signs its bytes with libsodium through
 * `HarbourCrypto.sign`. The verifier checks it with its own Ed25519 (`verifyCheckpoint`).
 */
export function signCheckpoint(
  crypto: Pick<HarbourCrypto, 'sign'>,
  key: SigningKey,
  checkpoint: Checkpoint,
): SignedCheckpoint {
  const body = checkpointBody(checkpoint);
  return { body, signature: crypto.sign(key, checkpointBodyBytes(body)) };
}
