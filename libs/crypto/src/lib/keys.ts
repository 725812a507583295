import { randomFillSync } from 'node:crypto';
import { keyWrapAssociatedData, type KeyBinding, type WrappedKeyPurpose } from './associated-data';
import { open, seal } from './aead';
import { uuidBytes } from './bytes';
import { DecryptionError, KeyError } from './errors';
import { readHeader } from './format';
import { KEY_BYTES, SecretKey } from './secret-key';
import type { Sodium } from './sodium';

/** A fresh random 256-bit key with the given id. */
export function generateKey(id: number): SecretKey {
  const bytes = randomFillSync(new Uint8Array(KEY_BYTES));
  try {
    return new SecretKey(id, bytes);
  } finally {
    bytes.fill(0);
  }
}

/**
 * Wraps `key` under `wrapping` (an organisation KEK, or the master key inside a key provider).
 * The result is a ciphertext in the standard envelope whose header names the wrapping key and
 * whose associated data binds organisation, purpose, subject and both key ids.
 */
export function wrapKey(
  sodium: Sodium,
  wrapping: SecretKey,
  key: SecretKey,
  binding: KeyBinding,
): Uint8Array {
  if (binding.keyId !== key.id) throw new KeyError('invalid_id');
  return seal(
    sodium,
    wrapping.bytes(),
    wrapping.id,
    keyWrapAssociatedData(binding, wrapping.id),
    key.bytes(),
  );
}

/** Unwraps a key wrapped by `wrapKey`; a wrong wrapping key or binding throws `KeyError`. */
export function unwrapKey(
  sodium: Sodium,
  wrapping: SecretKey,
  wrapped: Uint8Array,
  binding: KeyBinding,
): SecretKey {
  let bytes: Uint8Array;
  try {
    bytes = open(
      sodium,
      wrapping.bytes(),
      wrapping.id,
      keyWrapAssociatedData(binding, wrapping.id),
      wrapped,
    );
  } catch (error) {
    if (error instanceof DecryptionError) throw new KeyError('unwrap_failed');
    throw error;
  }
  try {
    return new SecretKey(binding.keyId, bytes);
  } finally {
    bytes.fill(0);
  }
}

/**
 * Holds the master key and wraps organisation KEKs with it. The local provider keeps the master
 * key in process memory; KMS adapters (Vault Transit, a cloud KMS) implement the same interface
 * and never reveal theirs, which is why the methods are asynchronous.
 */
export interface KeyProvider {
  /** Names the master key (not secret): recorded beside each KEK it wrapped. */
  readonly id: string;
  wrapKek(kek: SecretKey, binding: KeyBinding): Promise<Uint8Array>;
  /**
   * `wrappedBy` is the id recorded beside the KEK when it was wrapped: a provider refuses a KEK
   * that another master key wrapped (`unwrap_failed`), without trying.
   */
  unwrapKek(wrapped: Uint8Array, binding: KeyBinding, wrappedBy?: string): Promise<SecretKey>;
}

/**
 * The master keys of a deployment while one replaces another: new KEKs are wrapped by
 * `current`; a KEK is unwrapped by the master key whose id was recorded beside it, current or
 * one of `previous` (unwrap only). Once every KEK is re-wrapped by the current key
 * (`harbour rotate-master-key`), the previous keys are taken out of the configuration.
 */
export class MasterKeys implements KeyProvider {
  readonly #byId: ReadonlyMap<string, KeyProvider>;

  constructor(
    readonly current: KeyProvider,
    readonly previous: readonly KeyProvider[] = [],
  ) {
    this.#byId = new Map([...previous, current].map((p) => [p.id, p] as const));
  }

  get id(): string {
    return this.current.id;
  }

  /** Whether a KEK wrapped by master key `id` can be opened here. */
  holds(id: string): boolean {
    return this.#byId.has(id);
  }

  wrapKek(kek: SecretKey, binding: KeyBinding): Promise<Uint8Array> {
    return this.current.wrapKek(kek, binding);
  }

  unwrapKek(wrapped: Uint8Array, binding: KeyBinding, wrappedBy?: string): Promise<SecretKey> {
    const provider = this.#byId.get(wrappedBy ?? this.current.id);
    if (provider === undefined) return Promise.reject(new KeyError('unwrap_failed'));
    return provider.unwrapKek(wrapped, binding, wrappedBy);
  }
}

/** Key id the local master key writes into the envelopes of the KEKs it wraps. */
export const LOCAL_MASTER_KEY_ID = 0;

export class LocalKeyProvider implements KeyProvider {
  readonly id: string;
  // Private (#), not a parameter property: an enumerable `sodium` field made JSON.stringify of
  // the provider serialise libsodium's WASM heap, which still holds keys it has used.
  readonly #sodium: Sodium;
  readonly #master: SecretKey;

  constructor(sodium: Sodium, masterKey: Uint8Array) {
    this.#sodium = sodium;
    this.#master = new SecretKey(LOCAL_MASTER_KEY_ID, masterKey);
    const fingerprint = sodium.crypto_generichash(8, 'harbour.master-key-fingerprint', masterKey);
    this.id = `local:${sodium.to_hex(fingerprint)}`;
  }

  wrapKek(kek: SecretKey, binding: KeyBinding): Promise<Uint8Array> {
    try {
      return Promise.resolve(
        wrapKey(this.#sodium, this.#master, kek, { ...binding, purpose: 'kek' }),
      );
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error('key wrap failed'));
    }
  }

  unwrapKek(wrapped: Uint8Array, binding: KeyBinding, wrappedBy?: string): Promise<SecretKey> {
    if (wrappedBy !== undefined && wrappedBy !== this.id) {
      return Promise.reject(new KeyError('unwrap_failed'));
    }
    try {
      return Promise.resolve(
        unwrapKey(this.#sodium, this.#master, wrapped, { ...binding, purpose: 'kek' }),
      );
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new KeyError('unwrap_failed'));
    }
  }

  /** Zeroes the master key (process shutdown). */
  destroy(): void {
    this.#master.destroy();
  }
}

/** A wrapped key as stored in the keyring or exported with a backup. */
export interface WrappedKeyRecord {
  readonly organisationId: string;
  readonly purpose: WrappedKeyPurpose;
  readonly keyId: number;
  readonly subjectId?: string;
  /** Id of the key that wrapped it (the KEK's id, or 0 for the master key). */
  readonly wrappingKeyId: number;
  /** The key provider (for KEKs) or `kek` (for data keys). */
  readonly wrappedBy: string;
  readonly wrapped: Uint8Array;
}

const PURPOSES: readonly WrappedKeyPurpose[] = [
  'kek',
  'organisation_data',
  'person_data',
  'index',
  'audit',
];

/** Serialises a wrapped key as one line of JSON with the envelope in base64. */
export function serialiseWrappedKey(record: WrappedKeyRecord): string {
  return JSON.stringify({
    v: 1,
    organisationId: record.organisationId,
    purpose: record.purpose,
    keyId: record.keyId,
    ...(record.subjectId === undefined ? {} : { subjectId: record.subjectId }),
    wrappingKeyId: record.wrappingKeyId,
    wrappedBy: record.wrappedBy,
    wrapped: Buffer.from(record.wrapped).toString('base64'),
  });
}

/** Parses `serialiseWrappedKey` output, checking every field and the envelope's header. */
export function parseWrappedKey(text: string): WrappedKeyRecord {
  try {
    return parseRecord(JSON.parse(text) as unknown);
  } catch {
    // One failure type for every malformed record, whatever the cause.
    throw new KeyError('malformed_record');
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function parseRecord(value: unknown): WrappedKeyRecord {
  if (typeof value !== 'object' || value === null) throw new KeyError('malformed_record');
  const { v, organisationId, purpose, keyId, subjectId, wrappingKeyId, wrappedBy, wrapped } =
    value as Record<string, unknown>;
  const isId = (n: unknown): n is number =>
    typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 0xffffffff;
  if (
    v !== 1 ||
    typeof organisationId !== 'string' ||
    typeof purpose !== 'string' ||
    !PURPOSES.includes(purpose as WrappedKeyPurpose) ||
    !isId(keyId) ||
    !isId(wrappingKeyId) ||
    typeof wrappedBy !== 'string' ||
    typeof wrapped !== 'string' ||
    !BASE64.test(wrapped) ||
    (subjectId !== undefined && typeof subjectId !== 'string') ||
    (purpose === 'person_data') !== (subjectId !== undefined)
  ) {
    throw new KeyError('malformed_record');
  }
  uuidBytes(organisationId, 'organisationId');
  if (subjectId !== undefined) uuidBytes(subjectId, 'subjectId');
  const bytes = new Uint8Array(Buffer.from(wrapped, 'base64'));
  if (readHeader(bytes).keyId !== wrappingKeyId) throw new KeyError('malformed_record');
  return {
    organisationId,
    purpose: purpose as WrappedKeyPurpose,
    keyId,
    ...(subjectId === undefined ? {} : { subjectId }),
    wrappingKeyId,
    wrappedBy,
    wrapped: bytes,
  };
}
