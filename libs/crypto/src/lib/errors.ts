/**
 * Typed failures. Messages are fixed sentences: they never contain plaintext, key material,
 * ciphertext bytes or an identity value, so they are safe to log.
 */
export type DecryptionFailure =
  'truncated' | 'unknown_version' | 'unknown_algorithm' | 'key_mismatch' | 'authentication_failed';

export class DecryptionError extends Error {
  override readonly name = 'DecryptionError';

  constructor(readonly reason: DecryptionFailure) {
    super(`decryption failed: ${reason}`);
  }
}

export type KeyFailure =
  'invalid_length' | 'invalid_id' | 'destroyed' | 'unwrap_failed' | 'malformed_record';

export class KeyError extends Error {
  override readonly name = 'KeyError';

  constructor(readonly reason: KeyFailure) {
    super(`key error: ${reason}`);
  }
}

export type PlacementFailure = 'invalid_uuid' | 'invalid_name';

/** A field's place (organisation, table, column, row) is malformed. */
export class PlacementError extends Error {
  override readonly name = 'PlacementError';

  constructor(
    readonly reason: PlacementFailure,
    readonly part: string,
  ) {
    super(`invalid ${part}: ${reason}`);
  }
}
