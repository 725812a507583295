import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sealWithNonce } from './aead';
import { fieldAssociatedData, type FieldPlace } from './associated-data';
import { concat, fromHex, toHex } from './bytes';
import { DecryptionError } from './errors';
import { encodeHeader, HEADER_BYTES, keyIdOf, MIN_CIPHERTEXT_BYTES, readHeader } from './format';
import { createCrypto, type HarbourCrypto } from './harbour-crypto';
import { SecretKey } from './secret-key';
import { deriveSubkey, SUBKEY_CONTEXTS, subkeyId } from './subkeys';

/**
 * The golden vector of Harbour's own field ciphertext (docs/security.md case 22): a fixed key, place,
 * key id and nonce give exactly these bytes. If a dependency upgrade (libsodium-wrappers, a
 * BLAKE2b or XChaCha20-Poly1305 change) or a refactor changes any output, this fails. The README
 * quotes `src/test/vectors/harbour-envelope-v1.json` as the worked example of the format.
 */

interface GoldenVector {
  readonly source: string;
  readonly licence: string;
  readonly inputs: {
    readonly dataKey: string;
    readonly keyId: number;
    readonly keyIdHex: string;
    readonly place: FieldPlace;
    readonly nonce: string;
    readonly plaintextUtf8: string;
    readonly plaintext: string;
  };
  readonly intermediate: {
    readonly fieldSubkeyLabel: string;
    readonly kdfContext: string;
    readonly subkeyIdHex: string;
    readonly subkeyId: string;
    readonly fieldSubkey: string;
    readonly associatedData: string;
    readonly header: string;
    readonly aeadOutput: string;
  };
  readonly output: {
    readonly ciphertextBody: string;
    readonly tag: string;
    readonly fieldCiphertext: string;
    readonly fieldCiphertextLength: number;
  };
}

const golden = JSON.parse(
  readFileSync(join(__dirname, '..', 'test', 'vectors', 'harbour-envelope-v1.json'), 'utf8'),
) as GoldenVector;

const { inputs, intermediate, output } = golden;

let crypto: HarbourCrypto;
let key: SecretKey;

beforeAll(async () => {
  crypto = await createCrypto();
});

beforeEach(() => {
  key = new SecretKey(inputs.keyId, fromHex(inputs.dataKey));
});

describe('golden vector: Harbour field envelope v1', () => {
  it('documents its source and the case it guards', () => {
    expect(golden.source).toContain('case 22');
    expect(golden.licence).toBeTruthy();
    expect(inputs.keyId).toBe(Number.parseInt(inputs.keyIdHex, 16));
    expect(toHex(new TextEncoder().encode(inputs.plaintextUtf8))).toBe(inputs.plaintext);
  });

  it('subkey id = first 8 bytes (big-endian) of BLAKE2b-256(label)', () => {
    const label = `${inputs.place.table}.${inputs.place.column}`;
    expect(label).toBe(intermediate.fieldSubkeyLabel);
    expect(SUBKEY_CONTEXTS.field).toBe(intermediate.kdfContext);
    const id = subkeyId(crypto.sodium, label);
    expect(id).toBe(BigInt(intermediate.subkeyId));
    expect(id.toString(16).padStart(16, '0')).toBe(intermediate.subkeyIdHex);
  });

  it('field subkey = crypto_kdf_derive_from_key(32, subkey id, "hbfield1", data key)', () => {
    const subkey = deriveSubkey(
      crypto.sodium,
      fromHex(inputs.dataKey),
      'field',
      intermediate.fieldSubkeyLabel,
    );
    expect(toHex(subkey)).toBe(intermediate.fieldSubkey);
  });

  it('associated data has the exact recorded bytes', () => {
    expect(toHex(fieldAssociatedData(inputs.place, inputs.keyId))).toBe(
      intermediate.associatedData,
    );
  });

  it('header = version ‖ alg ‖ key id (big-endian) ‖ nonce', () => {
    const header = encodeHeader(inputs.keyId, fromHex(inputs.nonce));
    expect(toHex(header)).toBe(intermediate.header);
    expect(header).toHaveLength(HEADER_BYTES);
    expect(intermediate.header).toBe('0101' + inputs.keyIdHex + inputs.nonce);
  });

  it('the AEAD output under the recorded subkey, associated data and nonce', () => {
    const body = crypto.sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
      fromHex(inputs.plaintext),
      fromHex(intermediate.associatedData),
      null,
      fromHex(inputs.nonce),
      fromHex(intermediate.fieldSubkey),
    );
    expect(toHex(body)).toBe(intermediate.aeadOutput);
    expect(intermediate.aeadOutput).toBe(output.ciphertextBody + output.tag);
  });

  it('assembled from the exported pieces, gives the exact field ciphertext', () => {
    const ad = fieldAssociatedData(inputs.place, inputs.keyId);
    const subkey = deriveSubkey(
      crypto.sodium,
      fromHex(inputs.dataKey),
      'field',
      `${inputs.place.table}.${inputs.place.column}`,
    );
    const nonce = fromHex(inputs.nonce);
    const ciphertext = concat([
      encodeHeader(inputs.keyId, nonce),
      crypto.sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
        fromHex(inputs.plaintext),
        ad,
        null,
        nonce,
        subkey,
      ),
    ]);
    expect(toHex(ciphertext)).toBe(output.fieldCiphertext);
    expect(ciphertext).toHaveLength(output.fieldCiphertextLength);
    expect(output.fieldCiphertextLength).toBe(
      fromHex(inputs.plaintext).length + MIN_CIPHERTEXT_BYTES,
    );
  });

  it('sealWithNonce (the envelope writer) under the field subkey gives the exact bytes', () => {
    const sealed = sealWithNonce(
      crypto.sodium,
      fromHex(intermediate.fieldSubkey),
      inputs.keyId,
      fromHex(intermediate.associatedData),
      fromHex(inputs.plaintext),
      fromHex(inputs.nonce),
    );
    expect(toHex(sealed)).toBe(output.fieldCiphertext);
  });

  it('encryptField (random nonce) writes the same header prefix and length, and round trips', () => {
    const ciphertext = crypto.encryptField(key, inputs.place, inputs.plaintextUtf8);
    expect(ciphertext).toHaveLength(output.fieldCiphertextLength);
    expect(toHex(ciphertext.subarray(0, 6))).toBe(intermediate.header.slice(0, 12));
    expect(crypto.decryptText(key, inputs.place, ciphertext).reveal()).toBe(inputs.plaintextUtf8);
  });

  it('decryptField and decryptText of the golden bytes return the plaintext', () => {
    const ciphertext = fromHex(output.fieldCiphertext);
    expect(toHex(crypto.decryptField(key, inputs.place, ciphertext))).toBe(inputs.plaintext);
    expect(crypto.decryptText(key, inputs.place, ciphertext).reveal()).toBe(inputs.plaintextUtf8);
    expect(crypto.keyIdOf(ciphertext)).toBe(inputs.keyId);
    expect(keyIdOf(ciphertext)).toBe(inputs.keyId);
    expect(toHex(readHeader(ciphertext).nonce)).toBe(inputs.nonce);
  });

  it('the golden bytes decrypt nowhere else', () => {
    const ciphertext = fromHex(output.fieldCiphertext);
    const elsewhere: FieldPlace[] = [
      { ...inputs.place, column: 'family_name' },
      { ...inputs.place, table: 'person_alias' },
      { ...inputs.place, rowId: '01932c07-209c-7d1f-8b2a-6f4e3d2c1b0b' },
      { ...inputs.place, organisationId: '017f22e2-79b0-7cc3-98c4-dc0c0c07398e' },
    ];
    for (const place of elsewhere) {
      expect(() => crypto.decryptField(key, place, ciphertext)).toThrow(
        new DecryptionError('authentication_failed'),
      );
    }
    const otherBytes = new SecretKey(inputs.keyId, fromHex(intermediate.fieldSubkey));
    expect(() => crypto.decryptField(otherBytes, inputs.place, ciphertext)).toThrow(
      new DecryptionError('authentication_failed'),
    );
  });
});
