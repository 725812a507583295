import {
  BlindIndex,
  CipherSweet,
  EncryptedField,
  ModernCrypto,
  StringProvider,
} from 'ciphersweet-js';
import { requireEqual, type Case } from './cases';
import { BLIND_INDEX_BITS, sink, type Inputs } from './inputs';
import { packageDir, packageVersion } from './versions';

interface SodiumPlusModule {
  readonly SodiumPlus: { auto(): Promise<{ getBackendName(): string }> };
}

/**
 * ciphersweet-js through its field API, as its README uses it: a `CipherSweet` engine with a
 * `StringProvider` key and the `ModernCrypto` backend (XChaCha20-Poly1305 and BLAKE2b), an
 * `EncryptedField('person', 'given_name')` with one fast blind index, and `encryptValue` /
 * `decryptValue` / `getBlindIndex`. Every call is async and is awaited one at a time, as an
 * application would.
 *
 * Underneath, ciphersweet-js calls sodium-plus, which picks a backend when it loads: its own
 * sodium-native (3.x, native libsodium) when that loads, else libsodium-wrappers; the backend
 * is recorded with the results. With the native backend its cost over sodium-native is API
 * overhead: the promise chain, per-call key copies, base64url encoding of the stored string
 * and, for the blind index, deriving the index root key (HKDF-SHA384) and the index subkey
 * (HMAC-SHA256) on every call. `ModernCrypto.encrypt` prepends the nonce to the caller's associated data, so
 * the AEAD authenticates 24 + 40 = 64 bytes.
 */
export async function ciphersweetCases(inputs: Inputs): Promise<Case[]> {
  // Which libsodium ciphersweet-js really runs on: sodium-plus (its dependency) picks a backend
  // when it loads. Resolved the way ciphersweet-js resolves it, and recorded.
  const ciphersweetDir = packageDir('ciphersweet-js');
  const sodiumPlusDir = packageDir('sodium-plus', ciphersweetDir);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- ciphersweet-js's own copy
  const { SodiumPlus } = require(sodiumPlusDir) as SodiumPlusModule;
  const backend = (await SodiumPlus.auto()).getBackendName();
  const native =
    backend === 'SodiumNativeBackend' ? ` ${packageVersion('sodium-native', sodiumPlusDir)}` : '';
  const library = `ciphersweet-js ${packageVersion('ciphersweet-js')} (ModernCrypto; sodium-plus ${packageVersion('sodium-plus', ciphersweetDir)} on ${backend}${native})`;
  const engine = new CipherSweet(
    new StringProvider(inputs.key.toString('hex')),
    new ModernCrypto(),
  );
  const field = new EncryptedField(engine, 'person', 'given_name');
  const indexName = 'person_email_bidx';
  field.addBlindIndex(new BlindIndex(indexName, [], BLIND_INDEX_BITS, true), indexName);
  const ad = inputs.adText;

  const roundTrip = async (value: string): Promise<Buffer> =>
    field.decryptValue(await field.encryptValue(value, ad), ad);

  // The type declarations say `CalculatedBlindIndex`; flat (untyped) indexes return the hex string.
  const blindIndex = async (value: string): Promise<string> =>
    (await field.getBlindIndex(value, indexName)) as unknown as string;

  const common = {
    library,
    async: true,
    role: 'peer',
    callerAdBytes: Buffer.byteLength(ad),
    effectiveAdBytes: 24 + Buffer.byteLength(ad),
  } as const;

  return [
    {
      ...common,
      id: 'field.ciphersweet-js',
      label: 'ciphersweet-js EncryptedField (awaited)',
      category: 'field',
      describe:
        'EncryptedField.encryptValue / decryptValue (ModernCrypto: XChaCha20-Poly1305, random nonce, AD = nonce ‖ caller AD); string in, "nacl:" + base64url(nonce ‖ ciphertext ‖ tag) out, Buffer back',
      run: async () => {
        sink.value ^= (await roundTrip(inputs.fieldText))[0]!;
      },
      check: async () => {
        const stored = await field.encryptValue(inputs.fieldText, ad);
        const back = await field.decryptValue(stored, ad);
        requireEqual(back.toString('ascii') === inputs.fieldText, 'ciphersweet-js round trip');
        return { storedSize: stored.length, storedForm: 'string' };
      },
    },
    {
      ...common,
      id: 'blindIndex.ciphersweet-js',
      label: 'ciphersweet-js getBlindIndex (fast, awaited)',
      category: 'blindIndex',
      callerAdBytes: null,
      effectiveAdBytes: null,
      describe: `EncryptedField.getBlindIndex with a fast BlindIndex (keyed BLAKE2b, ${BLIND_INDEX_BITS} bits, no transformations); per call: HKDF-SHA384 index root key, HMAC-SHA256 index subkey, BLAKE2b, hex`,
      run: async () => {
        sink.value ^= (await blindIndex(inputs.fieldText)).length;
      },
      check: async () => ({ indexValue: await blindIndex(inputs.fieldText) }),
    },
    {
      ...common,
      id: 'bulk.ciphersweet-js',
      label: 'ciphersweet-js EncryptedField (awaited)',
      category: 'bulk',
      bytesPerOp: inputs.bulkBytes.length,
      describe: 'encryptValue / decryptValue of the 1 MiB string',
      run: async () => {
        sink.value ^= (await roundTrip(inputs.bulkText))[0]!;
      },
      check: async () => {
        const back = await roundTrip(inputs.bulkText);
        requireEqual(back.equals(inputs.bulkBytes), 'ciphersweet-js bulk round trip');
        return {};
      },
    },
  ];
}
