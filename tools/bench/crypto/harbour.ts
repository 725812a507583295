import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createCrypto, SecretKey, type FieldPlace, type HarbourCrypto } from '@harbour/crypto';
import { requireEqual, sameBytes, type Case } from './cases';
import {
  BLIND_INDEX_BITS,
  BLIND_INDEX_NAME,
  blindIndexMessage,
  NORMALISATION_VERSION,
  sink,
  topBits,
  type Inputs,
} from './inputs';
import { packageVersion, repoRoot } from './versions';

/**
 * @harbour/crypto. The field figures use the public API exactly as the API server does:
 * `encryptField` / `decryptField` with a real `FieldPlace`, a `SecretKey` whose per-column
 * subkey is derived once and then cached, libsodium-wrappers (WebAssembly) underneath.
 *
 * Two figures need library internals that the public entry point does not export (yet): the
 * raw-AEAD variant (the library's own `seal` / `open` with exactly 40 bytes of associated
 * data, isolating the cost of building Harbour's associated data) and the blind index. They
 * are loaded from their source files at run time; if a file is missing the case is skipped
 * (raw AEAD) or replaced by a local adapter of the documented construction (blind index), and
 * the JSON says so.
 */

type Sodium = HarbourCrypto['sodium'];

interface AeadModule {
  seal(sodium: Sodium, key: Uint8Array, keyId: number, ad: Uint8Array, m: Uint8Array): Uint8Array;
  open(sodium: Sodium, key: Uint8Array, keyId: number, ad: Uint8Array, c: Uint8Array): Uint8Array;
}
interface AssociatedDataModule {
  fieldAssociatedData(place: FieldPlace, keyId: number): Uint8Array;
}
interface SubkeysModule {
  deriveSubkey(sodium: Sodium, key: Uint8Array, purpose: 'field', label: string): Uint8Array;
}
interface BlindIndexModule {
  readonly blindIndexValue: (
    sodium: Sodium,
    key: Uint8Array,
    indexName: string,
    normalisationVersion: number,
    normalisedValue: string,
    bits: number,
  ) => number;
}

const LIB = 'libs/crypto/src/lib';

/** A source module of libs/crypto, or null when the file does not exist. */
function internal<T>(path: string): T | null {
  const file = resolve(repoRoot, LIB, `${path}.ts`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded by path on purpose
  return existsSync(file) ? (require(file) as T) : null;
}

export interface HarbourSetup {
  readonly cases: Case[];
  /** Where the blind-index function came from. */
  readonly blindIndexSource: string;
  readonly skipped: string[];
}

export async function harbourCases(inputs: Inputs): Promise<HarbourSetup> {
  const crypto = await createCrypto();
  const library = `@harbour/crypto (libsodium-wrappers ${packageVersion('libsodium-wrappers')})`;
  const keyId = 1;
  const key = new SecretKey(keyId, inputs.key);
  const place: FieldPlace = {
    organisationId: '0190f1e2-7c4b-7e1a-9d2a-3b4c5d6e7f80',
    table: 'person',
    column: 'given_name',
    rowId: '0193a5c8-21d4-7f3e-8b6a-5c4d3e2f1a09',
  };
  const skipped: string[] = [];

  const aead = internal<AeadModule>('aead');
  const associatedData = internal<AssociatedDataModule>('associated-data');
  const subkeys = internal<SubkeysModule>('subkeys');
  const placeAdBytes = associatedData?.fieldAssociatedData(place, keyId).length ?? null;

  const roundTrip = (value: Uint8Array): Uint8Array =>
    crypto.decryptField(key, place, crypto.encryptField(key, place, value));

  const cases: Case[] = [
    {
      id: 'field.harbour',
      label: '@harbour/crypto encryptField/decryptField',
      category: 'field',
      role: 'harbour',
      library,
      async: false,
      callerAdBytes: null,
      effectiveAdBytes: placeAdBytes,
      describe:
        'public API with a real FieldPlace (associated data built from the place, per-column subkey cached in the SecretKey); Uint8Array in, version ‖ alg ‖ key id ‖ nonce ‖ ciphertext ‖ tag out',
      run: () => {
        sink.value ^= roundTrip(inputs.fieldBytes)[0]!;
      },
      check: () => {
        const sealed = crypto.encryptField(key, place, inputs.fieldBytes);
        requireEqual(
          sameBytes(crypto.decryptField(key, place, sealed), inputs.fieldBytes),
          'Harbour round trip',
        );
        // The associated-data size reported is the one the AEAD really authenticated: the
        // library's own open() with the place's associated data and the derived subkey succeeds.
        if (aead && associatedData && subkeys) {
          const subkey = subkeys.deriveSubkey(
            crypto.sodium,
            inputs.key,
            'field',
            'person.given_name',
          );
          const ad = associatedData.fieldAssociatedData(place, keyId);
          const opened = aead.open(crypto.sodium, subkey, keyId, ad, sealed);
          requireEqual(sameBytes(opened, inputs.fieldBytes), 'Harbour associated-data size');
        }
        return Promise.resolve({ storedSize: sealed.length, storedForm: 'bytes' });
      },
    },
    {
      id: 'bulk.harbour',
      label: '@harbour/crypto encryptField/decryptField',
      category: 'bulk',
      role: 'harbour',
      library,
      async: false,
      bytesPerOp: inputs.bulkBytes.length,
      callerAdBytes: null,
      effectiveAdBytes: placeAdBytes,
      describe: 'public API, 1 MiB Uint8Array as one field value',
      run: () => {
        sink.value ^= roundTrip(inputs.bulkBytes)[0]!;
      },
      check: () => {
        requireEqual(sameBytes(roundTrip(inputs.bulkBytes), inputs.bulkBytes), 'Harbour bulk');
        return Promise.resolve({});
      },
    },
  ];

  if (aead) {
    const subkey = Uint8Array.from(inputs.key);
    const ad = new Uint8Array(inputs.adBytes);
    const rawRoundTrip = (): Uint8Array =>
      aead.open(
        crypto.sodium,
        subkey,
        keyId,
        ad,
        aead.seal(crypto.sodium, subkey, keyId, ad, inputs.fieldBytes),
      );
    cases.push({
      id: 'field.harbour-raw-aead',
      label: '@harbour/crypto raw AEAD (seal/open, 40-byte AD)',
      category: 'field',
      role: 'harbour-variant',
      library,
      async: false,
      callerAdBytes: ad.length,
      effectiveAdBytes: null,
      describe:
        "the library's internal seal/open (aead.ts) with a precomputed subkey and exactly the 40-byte associated data: Harbour's envelope and libsodium-wrappers calls without building the place's associated data or looking up the subkey",
      run: () => {
        sink.value ^= rawRoundTrip()[0]!;
      },
      check: () => {
        const sealed = aead.seal(crypto.sodium, subkey, keyId, ad, inputs.fieldBytes);
        requireEqual(sameBytes(rawRoundTrip(), inputs.fieldBytes), 'Harbour raw AEAD round trip');
        return Promise.resolve({ storedSize: sealed.length, storedForm: 'bytes' });
      },
    });
  } else {
    skipped.push(`field.harbour-raw-aead: ${LIB}/aead.ts not found`);
  }

  const real = internal<BlindIndexModule>('blind-index/blind-index');
  const blindIndexSource = real
    ? `${LIB}/blind-index/blind-index.ts blindIndexValue`
    : 'local adapter (libs/crypto blind-index.ts not found): keyed BLAKE2b-256 via libsodium-wrappers crypto_generichash(32, message, key)';
  const blindIndexValue: BlindIndexModule['blindIndexValue'] =
    real?.blindIndexValue ??
    ((sodium, indexKey, indexName, version, value, bits) =>
      topBits(
        sodium.crypto_generichash(32, blindIndexMessage(indexName, version, value), indexKey),
        bits,
      ));
  const indexKey = Uint8Array.from(inputs.key); // stands for the derived per-index subkey
  const index = (value: string): number =>
    blindIndexValue(
      crypto.sodium,
      indexKey,
      BLIND_INDEX_NAME,
      NORMALISATION_VERSION,
      value,
      BLIND_INDEX_BITS,
    );
  cases.push({
    id: 'blindIndex.harbour',
    label: real ? '@harbour/crypto blindIndexValue' : '@harbour/crypto blind index (adapter)',
    category: 'blindIndex',
    role: 'harbour',
    library,
    async: false,
    callerAdBytes: null,
    effectiveAdBytes: null,
    describe: `${blindIndexSource}, ${BLIND_INDEX_BITS} bits, precomputed per-index subkey`,
    run: () => {
      sink.value ^= index(inputs.fieldText);
    },
    check: () => Promise.resolve({ indexValue: index(inputs.fieldText) }),
  });

  // The public entry point over the same function: per-index subkey (derived once, cached in
  // the SecretKey), then normalisation version 1 for an e-mail address, then blindIndexValue.
  const publicIndex = (value: string): number =>
    crypto.blindIndex.value(key, BLIND_INDEX_NAME, 'email', value, BLIND_INDEX_BITS);
  cases.push({
    id: 'blindIndex.harbour-public-api',
    label: '@harbour/crypto blindIndex.value (incl. normalisation)',
    category: 'blindIndex',
    role: 'harbour-variant',
    library,
    async: false,
    callerAdBytes: null,
    effectiveAdBytes: null,
    describe: `the public BlindIndexer: cached per-index subkey, e-mail normalisation (NFKC, case fold, whitespace removal) of the same value, then blindIndexValue (${BLIND_INDEX_BITS} bits); normalisation has no counterpart in the other rows`,
    run: () => {
      sink.value ^= publicIndex(inputs.fieldText);
    },
    check: () => Promise.resolve({ indexValue: publicIndex(inputs.fieldText) }),
  });

  return { cases, blindIndexSource, skipped };
}
