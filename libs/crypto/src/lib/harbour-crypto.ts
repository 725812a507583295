import { fieldAssociatedDataView, type FieldPlace, type KeyBinding } from './associated-data';
import { open, seal } from './aead';
import { utf8 } from './bytes';
import { DecryptionError } from './errors';
import { keyIdOf } from './format';
import { generateKey, LocalKeyProvider, unwrapKey, wrapKey } from './keys';
import type { SecretKey } from './secret-key';
import { Sensitive } from './sensitive';
import { generateSigningKey, sign, signingKeyFromSeed, verify, type SigningKey } from './signing';
import { loadSodium, type Sodium } from './sodium';
import { deriveSubkey } from './subkeys';
import {
  blindIndexValue,
  compoundIndexValue,
  foldedPairValues,
  foldedQueryValues,
  type FoldedNameTokens,
  nameIndexValues,
  namePairValues,
  nameQueryValues,
  similarNameIndexValues,
  similarNameQueryValues,
  type SimilarNameProbe,
  type SimilarNameValues,
} from './blind-index/blind-index';
import { NORMALISATION_VERSION, normaliseValue, type ValueKind } from './blind-index/normalise';
import {
  slkIndexValue,
  type Slk581IndexResult,
  type Slk581Input,
  type Slk581Options,
} from './blind-index/slk581';

/**
 * Harbour's cryptography, ready to use: created once (awaiting libsodium), then every operation
 * is synchronous. Field values are encrypted under a per-column subkey of a data key (an
 * organisation key or a person's own key), bound to their exact place by associated data.
 */
export interface HarbourCrypto {
  /** Encrypts one field value for its place under `key` (an active data key). */
  encryptField(key: SecretKey, place: FieldPlace, plaintext: string | Uint8Array): Uint8Array;
  /** Decrypts a field value; any mismatch of key, place or bytes throws `DecryptionError`. */
  decryptField(key: SecretKey, place: FieldPlace, ciphertext: Uint8Array): Uint8Array;
  /** Decrypts a UTF-8 text field into a `Sensitive<string>`. */
  decryptText(key: SecretKey, place: FieldPlace, ciphertext: Uint8Array): Sensitive<string>;
  /** Rotation: the same value, same place, under a new key (the old key must match the header). */
  reencryptField(
    from: SecretKey,
    to: SecretKey,
    place: FieldPlace,
    ciphertext: Uint8Array,
  ): Uint8Array;
  /** The key id written in a ciphertext's header. */
  keyIdOf(ciphertext: Uint8Array): number;

  generateKey(id: number): SecretKey;
  wrapKey(wrapping: SecretKey, key: SecretKey, binding: KeyBinding): Uint8Array;
  unwrapKey(wrapping: SecretKey, wrapped: Uint8Array, binding: KeyBinding): SecretKey;
  localKeyProvider(masterKey: Uint8Array): LocalKeyProvider;

  /**
   * Blind indexes under an organisation's index key (purpose `index`); each index name gets its
   * own subkey. See README "Blind indexes" for what they leak and how `bits` limits it.
   */
  readonly blindIndex: BlindIndexer;

  /** The Ed25519 key that signs the organisation's access-log checkpoints (from its audit key). */
  auditSigningKey(auditKey: SecretKey): SigningKey;
  /** The HMAC-SHA256 key for access-log events (from the audit key; cached with it). */
  auditMacKey(auditKey: SecretKey): Uint8Array;
  /**
   * An HMAC-SHA256 key for request MACs (context `hbreqmac`, label e.g. `idempotency.key` or
   * `idempotency.request`), from the organisation's data key: retry state is compared by a keyed
   * MAC, never an unkeyed hash a dictionary could invert.
   */
  requestMacKey(dataKey: SecretKey, label: string): Uint8Array;
  /**
   * The HMAC-SHA256 key device keys are derived under (context `hbdevkey`, label `device-key`),
   * from the organisation's index key, which is never rotated: a key released to a device stays
   * the same until its epoch is raised (docs/adr/0012).
   */
  deviceKeyRoot(indexKey: SecretKey): Uint8Array;

  generateSigningKey(): SigningKey;
  signingKeyFromSeed(seed: Uint8Array): SigningKey;
  sign(key: SigningKey, message: Uint8Array): Uint8Array;
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;

  /** @internal The initialised libsodium, for sibling modules of this library. */
  readonly sodium: Sodium;
}

export interface BlindIndexer {
  /** Rows to store for a name: one value per token and per Latin diacritic-folded token. */
  nameValues(indexKey: SecretKey, indexName: string, name: string, bits: number): number[];
  /** Values to search for a name: a person matches when their rows hold every one. */
  nameQuery(indexKey: SecretKey, indexName: string, name: string, bits: number): number[];
  /**
   * The pair index of a name, to store and to search (`namePairValues`): [] under two tokens,
   * null over `MAX_NAME_PAIR_TOKENS`.
   */
  namePairs(indexKey: SecretKey, indexName: string, name: string, bits: number): number[] | null;
  /** `nameQuery` of a name folded once (`foldedNameTokens`) for several uses. */
  foldedNameQuery(
    indexKey: SecretKey,
    indexName: string,
    tokens: FoldedNameTokens,
    bits: number,
  ): number[];
  /** `namePairs` of a name folded once (`foldedNameTokens`). */
  foldedNamePairs(
    indexKey: SecretKey,
    indexName: string,
    tokens: FoldedNameTokens,
    bits: number,
  ): number[] | null;
  /**
   * The similar-name rows of a name given as its parts (ADR 0010): keyed phonetic keys of its
   * Latin or romanised units under `keyIndexName`, and keyed pairs of them under `pairIndexName`.
   */
  similarNameValues(
    indexKey: SecretKey,
    keyIndexName: string,
    pairIndexName: string,
    parts: readonly string[],
    bits: number,
  ): SimilarNameValues;
  /** The similar-name probes of a query (pairs with their keys, or a single key). */
  similarNameQuery(
    indexKey: SecretKey,
    keyIndexName: string,
    pairIndexName: string,
    query: string,
    bits: number,
  ): {
    probes: SimilarNameProbe[];
    single: number | null;
    keys: number[];
    near: () => SimilarNameProbe[];
  };
  /** One value for a phone number, e-mail address or other single text value. */
  value(
    indexKey: SecretKey,
    indexName: string,
    kind: ValueKind,
    value: string,
    bits: number,
  ): number;
  /** A compound value over ordered parts (e.g. family-name token and birth year). */
  compound(indexKey: SecretKey, indexName: string, parts: readonly string[], bits: number): number;
  /** The keyed index of a person's SLK-581; the linkage key itself is never returned. */
  slk581(
    indexKey: SecretKey,
    input: Slk581Input,
    bits: number,
    options?: Slk581Options,
  ): Slk581IndexResult;
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

export async function createCrypto(): Promise<HarbourCrypto> {
  const sodium = await loadSodium();

  const fieldKey = (key: SecretKey, place: FieldPlace): Uint8Array => {
    return key.subkey('field', place.table, place.column, (bytes) =>
      deriveSubkey(sodium, bytes, 'field', `${place.table}.${place.column}`),
    );
  };

  const encryptField = (
    key: SecretKey,
    place: FieldPlace,
    plaintext: string | Uint8Array,
  ): Uint8Array => {
    const ad = fieldAssociatedDataView(place, key.id);
    return seal(
      sodium,
      fieldKey(key, place),
      key.id,
      ad,
      typeof plaintext === 'string' ? utf8(plaintext) : plaintext,
    );
  };

  const decryptField = (key: SecretKey, place: FieldPlace, ciphertext: Uint8Array): Uint8Array => {
    // The place is validated (building the associated data) before any subkey is derived.
    const ad = fieldAssociatedDataView(place, key.id);
    return open(sodium, fieldKey(key, place), key.id, ad, ciphertext);
  };

  const indexKey = (key: SecretKey, indexName: string): Uint8Array =>
    key.subkey('index', indexName, '', (bytes) => deriveSubkey(sodium, bytes, 'index', indexName));

  const blindIndex: BlindIndexer = {
    nameValues: (key, name, value, bits) =>
      nameIndexValues(sodium, indexKey(key, name), name, value, bits),
    nameQuery: (key, name, value, bits) =>
      nameQueryValues(sodium, indexKey(key, name), name, value, bits),
    namePairs: (key, name, value, bits) =>
      namePairValues(sodium, indexKey(key, name), name, value, bits),
    foldedNameQuery: (key, name, tokens, bits) =>
      foldedQueryValues(sodium, indexKey(key, name), name, tokens, bits),
    foldedNamePairs: (key, name, tokens, bits) =>
      foldedPairValues(sodium, indexKey(key, name), name, tokens, bits),
    similarNameValues: (key, keyName, pairName, parts, bits) =>
      similarNameIndexValues(
        sodium,
        indexKey(key, keyName),
        keyName,
        indexKey(key, pairName),
        pairName,
        parts,
        bits,
      ),
    similarNameQuery: (key, keyName, pairName, query, bits) =>
      similarNameQueryValues(
        sodium,
        indexKey(key, keyName),
        keyName,
        indexKey(key, pairName),
        pairName,
        query,
        bits,
      ),
    value: (key, name, kind, value, bits) =>
      blindIndexValue(
        sodium,
        indexKey(key, name),
        name,
        NORMALISATION_VERSION,
        normaliseValue(value, NORMALISATION_VERSION, kind),
        bits,
      ),
    compound: (key, name, parts, bits) =>
      compoundIndexValue(sodium, indexKey(key, name), name, parts, bits),
    slk581: (key, input, bits, options) =>
      slkIndexValue(sodium, indexKey(key, 'slk581'), input, bits, options),
  };

  const harbourCrypto: HarbourCrypto = {
    sodium,
    blindIndex,
    encryptField,
    decryptField,
    decryptText: (key, place, ciphertext) => {
      const bytes = decryptField(key, place, ciphertext);
      try {
        return new Sensitive(utf8Strict.decode(bytes));
      } catch {
        throw new DecryptionError('authentication_failed');
      } finally {
        bytes.fill(0);
      }
    },
    reencryptField: (from, to, place, ciphertext) => {
      const plaintext = decryptField(from, place, ciphertext);
      try {
        return encryptField(to, place, plaintext);
      } finally {
        plaintext.fill(0);
      }
    },
    keyIdOf,
    generateKey,
    wrapKey: (wrapping, key, binding) => wrapKey(sodium, wrapping, key, binding),
    unwrapKey: (wrapping, wrapped, binding) => unwrapKey(sodium, wrapping, wrapped, binding),
    localKeyProvider: (masterKey) => new LocalKeyProvider(sodium, masterKey),
    auditSigningKey: (auditKey) =>
      signingKeyFromSeed(
        sodium,
        auditKey.subkey('auditSigning', 'checkpoint', '', (bytes) =>
          deriveSubkey(sodium, bytes, 'auditSigning', 'checkpoint'),
        ),
      ),
    auditMacKey: (auditKey) =>
      auditKey.subkey('auditMac', 'event', '', (bytes) =>
        deriveSubkey(sodium, bytes, 'auditMac', 'event'),
      ),
    requestMacKey: (dataKey, label) =>
      dataKey.subkey('requestMac', label, '', (bytes) =>
        deriveSubkey(sodium, bytes, 'requestMac', label),
      ),
    deviceKeyRoot: (indexKey) =>
      indexKey.subkey('deviceKey', 'device-key', '', (bytes) =>
        deriveSubkey(sodium, bytes, 'deviceKey', 'device-key'),
      ),
    generateSigningKey: () => generateSigningKey(sodium),
    signingKeyFromSeed: (seed) => signingKeyFromSeed(sodium, seed),
    sign: (key, message) => sign(sodium, key, message),
    verify: (publicKey, message, signature) => verify(sodium, publicKey, message, signature),
  };
  // Not enumerable: JSON.stringify (or a deep log) of this object would otherwise serialise
  // libsodium's WASM heap, which still holds keys and subkeys it has used.
  Object.defineProperty(harbourCrypto, 'sodium', { enumerable: false });
  return harbourCrypto;
}
