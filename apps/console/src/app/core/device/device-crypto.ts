/**
 * The crypto of the device vault (docs/adr/0012), apart from IndexedDB so that it can be tested
 * on its own: AES-256-GCM under a non-extractable key the API released for this account and
 * device, a random 96-bit IV per record, and associated data binding the store, the record's
 * storage key and the account. What a record keeps in the clear is its storage key (a hash of
 * the account, the store and a random id), the key generation and the IV; the id, the time it was
 * saved and the value are inside the ciphertext.
 */

export type VaultStore = 'outbox' | 'drafts';

/** What IndexedDB holds for one record. */
export interface SealedRecord {
  /** `recordKey(account, store, id)`: base64url of SHA-256, not reversible to the id. */
  readonly k: string;
  /** The generation of the key it was sealed under (`DeviceKeyResponse.keyId`). */
  readonly keyId: string;
  readonly iv: Uint8Array;
  readonly data: ArrayBuffer;
}

/** What the ciphertext holds. */
export interface OpenedRecord<T> {
  readonly id: string;
  readonly savedAt: number;
  readonly value: T;
}

const VERSION = 'harbour.vault.v1';
const IV_BYTES = 12;

const utf8 = (text: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(text);

/** Fields joined with NUL: none of them contains one (ids, uuids, store names). */
function joined(parts: readonly string[]): Uint8Array<ArrayBuffer> {
  if (parts.some((part) => part.includes('\0'))) throw new Error('vault field contains NUL');
  return utf8(parts.join('\0'));
}

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** A new device id: 128 random bits, base64url (22 characters). Not a secret. */
export function newDeviceId(crypto: Crypto = globalThis.crypto): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
}

/** A random id for a record (128 bits): records are never named after what they hold. */
export const newRecordId = newDeviceId;

/**
 * Imports the released key as a non-extractable AES-GCM key, and zeroes the bytes it came in.
 * The key lives in memory only: a CryptoKey put in IndexedDB would be written to disk.
 */
export async function importDeviceKey(
  key: string,
  crypto: Crypto = globalThis.crypto,
): Promise<CryptoKey> {
  const bytes = fromBase64Url(key);
  try {
    if (bytes.length !== 32) throw new Error('a device key is 32 bytes');
    return await crypto.subtle.importKey('raw', bytes, { name: 'AES-GCM' }, false, [
      'encrypt',
      'decrypt',
    ]);
  } finally {
    bytes.fill(0);
  }
}

/** Where a record of `account` in `store` called `id` is kept: a hash, not the id. */
export async function recordKey(
  account: string,
  store: VaultStore,
  id: string,
  crypto: Crypto = globalThis.crypto,
): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', joined([VERSION, account, store, id]));
  return toBase64Url(new Uint8Array(digest));
}

function associatedData(account: string, store: VaultStore, k: string): Uint8Array<ArrayBuffer> {
  return joined([VERSION, store, k, account]);
}

export async function seal<T>(
  key: CryptoKey,
  keyId: string,
  account: string,
  store: VaultStore,
  record: OpenedRecord<T>,
  crypto: Crypto = globalThis.crypto,
): Promise<SealedRecord> {
  const k = await recordKey(account, store, record.id, crypto);
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const plaintext = utf8(JSON.stringify({ id: record.id, t: record.savedAt, v: record.value }));
  const data = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: associatedData(account, store, k) },
    key,
    plaintext,
  );
  plaintext.fill(0);
  return { k, keyId, iv, data };
}

/**
 * The record, or null when it does not open under this key for this account and store (another
 * account's, sealed under a revoked key, moved from elsewhere, or tampered with).
 */
export async function open<T>(
  key: CryptoKey,
  keyId: string,
  account: string,
  store: VaultStore,
  sealed: SealedRecord,
  crypto: Crypto = globalThis.crypto,
): Promise<OpenedRecord<T> | null> {
  if (sealed.keyId !== keyId || sealed.iv.length !== IV_BYTES) return null;
  let plaintext: ArrayBuffer;
  try {
    plaintext = await crypto.subtle.decrypt(
      {
        name: 'AES-GCM',
        iv: new Uint8Array(sealed.iv),
        additionalData: associatedData(account, store, sealed.k),
      },
      key,
      sealed.data,
    );
  } catch {
    return null;
  }
  const parsed = JSON.parse(new TextDecoder().decode(plaintext)) as { id: string; t: number; v: T };
  new Uint8Array(plaintext).fill(0);
  // The storage key is bound as associated data; the id inside must be the one it names.
  if ((await recordKey(account, store, parsed.id, crypto)) !== sealed.k) return null;
  return { id: parsed.id, savedAt: parsed.t, value: parsed.v };
}
