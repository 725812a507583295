import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  webcrypto,
} from 'node:crypto';
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

/**
 * The AES-via-`node:crypto` approach of typeorm-encrypted and @47ng/cloak, written here from
 * their published code (not installed: the issue asks for the approach, in our own code).
 *
 * typeorm-encrypted (src/crypto.ts, src/transformer.ts): `EncryptionTransformer({ key,
 * algorithm: 'aes-256-gcm', ivLength: 16 })` as in its README. Per value: the hex key string is
 * decoded, a random IV of `ivLength` bytes, `createCipheriv`, and the column stores
 * `base64(iv ‖ authTag ‖ ciphertext)`; reading decodes base64, splits iv / tag / ciphertext
 * and `createDecipheriv` + `setAuthTag`. No associated data: the library has none.
 *
 * @47ng/cloak (src/message.ts, src/ciphers/aes-gcm.ts, Node path of the 1.x releases):
 * a parsed key (raw bytes and a fingerprint: the first 8 hex digits of SHA-256 of the key
 * text), a random 12-byte IV, AES-256-GCM, and the string
 * `v1.aesgcm256.<fingerprint>.<b64url(iv)>.<b64url(ciphertext ‖ tag)>`; decryption checks the
 * prefix and algorithm, splits on ".", decodes, and verifies the trailing tag. No associated
 * data. Later cloak releases use WebCrypto (`crypto.subtle`, async) on every platform; that
 * variant is measured for reference.
 *
 * Two more node:crypto figures for context: AES-256-GCM with exactly the same 40 bytes of
 * associated data and binary output (the approach at its leanest), and HMAC-SHA256 as the
 * blind index such libraries would use.
 */

const TAG = 16;

function typeormEncryptedStyle(keyHex: string): {
  encrypt: (value: string) => string;
  decrypt: (stored: string) => string;
} {
  const algorithm = 'aes-256-gcm';
  const ivLength = 16;
  return {
    encrypt: (value) => {
      const iv = randomBytes(ivLength);
      const cipher = createCipheriv(algorithm, Buffer.from(keyHex, 'hex'), iv, {
        authTagLength: TAG,
      });
      const body = cipher.update(Buffer.from(value, 'utf8'));
      const rest = cipher.final();
      return Buffer.concat([iv, cipher.getAuthTag(), body, rest]).toString('base64');
    },
    decrypt: (stored) => {
      const data = Buffer.from(stored, 'base64');
      const iv = data.subarray(0, ivLength);
      const decipher = createDecipheriv(algorithm, Buffer.from(keyHex, 'hex'), iv);
      decipher.setAuthTag(data.subarray(ivLength, ivLength + TAG));
      const body = decipher.update(data.subarray(ivLength + TAG));
      return Buffer.concat([body, decipher.final()]).toString('utf8');
    },
  };
}

/** cloak's base64 flavour: standard base64 with + and / replaced (padding kept). */
const b64url = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('base64')
    .replace(/\+/g, '-')
    .replace(/\//g, '_');

interface CloakKey {
  readonly raw: Buffer;
  readonly fingerprint: string;
}

function parseCloakKey(raw: Buffer): CloakKey {
  const text = ['k1', 'aesgcm256', b64url(raw)].join('.');
  const fingerprint = createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 8);
  return { raw, fingerprint };
}

function splitCloaked(input: string): { iv: Buffer; text: Buffer } {
  if (!input.startsWith('v1.')) throw new Error('Unknown message format');
  const [, algorithm, , iv, text] = input.split('.');
  if (algorithm !== 'aesgcm256' || iv === undefined || text === undefined) {
    throw new Error('Unsupported cipher');
  }
  return { iv: Buffer.from(iv, 'base64'), text: Buffer.from(text, 'base64') };
}

function cloakStyle(key: CloakKey): {
  encrypt: (value: string) => string;
  decrypt: (stored: string) => string;
} {
  return {
    encrypt: (value) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key.raw, iv);
      const body = cipher.update(value, 'utf8');
      cipher.final();
      const text = Buffer.concat([body, cipher.getAuthTag()]);
      return ['v1', 'aesgcm256', key.fingerprint, b64url(iv), b64url(text)].join('.');
    },
    decrypt: (stored) => {
      const { iv, text } = splitCloaked(stored);
      const decipher = createDecipheriv('aes-256-gcm', key.raw, iv);
      const end = text.length - TAG;
      decipher.setAuthTag(text.subarray(end));
      return decipher.update(text.subarray(0, end), undefined, 'utf8') + decipher.final('utf8');
    },
  };
}

function cloakWebCryptoStyle(
  key: CloakKey,
  cryptoKey: webcrypto.CryptoKey,
): { encrypt: (value: string) => Promise<string>; decrypt: (stored: string) => Promise<string> } {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  return {
    encrypt: async (value) => {
      const iv = webcrypto.getRandomValues(new Uint8Array(12));
      const text = await webcrypto.subtle.encrypt(
        { name: 'AES-GCM', iv },
        cryptoKey,
        encoder.encode(value),
      );
      return ['v1', 'aesgcm256', key.fingerprint, b64url(iv), b64url(new Uint8Array(text))].join(
        '.',
      );
    },
    decrypt: async (stored) => {
      const { iv, text } = splitCloaked(stored);
      const plain = await webcrypto.subtle.decrypt({ name: 'AES-GCM', iv }, cryptoKey, text);
      return decoder.decode(plain);
    },
  };
}

/** AES-256-GCM with associated data, binary `iv(12) ‖ ciphertext ‖ tag`. */
function aesGcmBinary(
  key: Buffer,
  ad: Buffer,
): { seal: (m: Buffer) => Buffer; open: (c: Buffer) => Buffer } {
  return {
    seal: (m) => {
      const out = Buffer.allocUnsafe(12 + m.length + TAG);
      const iv = randomBytes(12);
      iv.copy(out, 0);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(ad);
      let offset = 12 + cipher.update(m).copy(out, 12);
      offset += cipher.final().copy(out, offset);
      cipher.getAuthTag().copy(out, offset);
      return out;
    },
    open: (c) => {
      if (c.length < 12 + TAG) throw new Error('truncated');
      const decipher = createDecipheriv('aes-256-gcm', key, c.subarray(0, 12));
      decipher.setAAD(ad);
      decipher.setAuthTag(c.subarray(c.length - TAG));
      const body = decipher.update(c.subarray(12, c.length - TAG));
      const rest = decipher.final();
      return rest.length === 0 ? body : Buffer.concat([body, rest]);
    },
  };
}

export async function aesNodeCases(inputs: Inputs): Promise<Case[]> {
  const library = `node:crypto (OpenSSL ${process.versions.openssl ?? 'unknown'})`;
  const typeorm = typeormEncryptedStyle(inputs.key.toString('hex'));
  const cloakKey = parseCloakKey(inputs.key);
  const cloak = cloakStyle(cloakKey);
  const cloakWeb = cloakWebCryptoStyle(
    cloakKey,
    await webcrypto.subtle.importKey('raw', inputs.key, { name: 'AES-GCM', length: 256 }, false, [
      'encrypt',
      'decrypt',
    ]),
  );
  const binary = aesGcmBinary(inputs.key, inputs.adBytes);
  const hmacKey = Buffer.from(inputs.key);
  const hmacIndex = (value: string): number =>
    topBits(
      createHmac('sha256', hmacKey)
        .update(blindIndexMessage(BLIND_INDEX_NAME, NORMALISATION_VERSION, value))
        .digest(),
      BLIND_INDEX_BITS,
    );

  const noAd = { callerAdBytes: null, effectiveAdBytes: null } as const;
  const checkText = (
    encrypt: (v: string) => string,
    decrypt: (s: string) => string,
    what: string,
  ): (() => Promise<{ storedSize: number; storedForm: 'string' }>) => {
    return () => {
      const stored = encrypt(inputs.fieldText);
      requireEqual(decrypt(stored) === inputs.fieldText, what);
      return Promise.resolve({ storedSize: stored.length, storedForm: 'string' });
    };
  };

  return [
    {
      ...noAd,
      id: 'field.typeorm-encrypted-style',
      label: 'AES-256-GCM, typeorm-encrypted style',
      category: 'field',
      role: 'peer',
      library,
      async: false,
      describe:
        'aes-256-gcm, 16-byte random IV (README setting), hex key decoded per value; string in, base64(iv ‖ tag ‖ ciphertext) out; no associated data',
      run: () => {
        sink.value ^= typeorm.decrypt(typeorm.encrypt(inputs.fieldText)).length;
      },
      check: checkText(typeorm.encrypt, typeorm.decrypt, 'typeorm-encrypted style round trip'),
    },
    {
      ...noAd,
      id: 'field.cloak-style',
      label: 'AES-256-GCM, @47ng/cloak style (node:crypto)',
      category: 'field',
      role: 'peer',
      library,
      async: false,
      describe:
        'aes-256-gcm, 12-byte random IV, parsed key with fingerprint; string in, "v1.aesgcm256.<fp>.<iv>.<ciphertext ‖ tag>" (base64url) out; no associated data',
      run: () => {
        sink.value ^= cloak.decrypt(cloak.encrypt(inputs.fieldText)).length;
      },
      check: checkText(cloak.encrypt, cloak.decrypt, 'cloak style round trip'),
    },
    {
      ...noAd,
      id: 'field.cloak-webcrypto-style',
      label: 'AES-256-GCM, @47ng/cloak style (WebCrypto, awaited)',
      category: 'field',
      role: 'reference',
      library: `${library}, webcrypto.subtle`,
      async: true,
      describe: 'as the cloak style above, through crypto.subtle (what later cloak releases use)',
      run: async () => {
        sink.value ^= (await cloakWeb.decrypt(await cloakWeb.encrypt(inputs.fieldText))).length;
      },
      check: async () => {
        const stored = await cloakWeb.encrypt(inputs.fieldText);
        requireEqual((await cloakWeb.decrypt(stored)) === inputs.fieldText, 'cloak WebCrypto');
        requireEqual(cloak.decrypt(stored) === inputs.fieldText, 'cloak formats agree');
        return { storedSize: stored.length, storedForm: 'string' };
      },
    },
    {
      id: 'field.aes-gcm-binary-ad',
      label: 'AES-256-GCM, binary, 40-byte AD',
      category: 'field',
      role: 'reference',
      library,
      async: false,
      callerAdBytes: inputs.adBytes.length,
      effectiveAdBytes: null,
      describe:
        'aes-256-gcm with setAAD(the same 40 bytes), 12-byte random IV; Buffer in, iv ‖ ciphertext ‖ tag out (the AES approach at its leanest)',
      run: () => {
        sink.value ^= binary.open(binary.seal(inputs.fieldBytes))[0]!;
      },
      check: () => {
        const sealed = binary.seal(inputs.fieldBytes);
        requireEqual(sameBytes(binary.open(sealed), inputs.fieldBytes), 'AES binary round trip');
        return Promise.resolve({ storedSize: sealed.length, storedForm: 'bytes' });
      },
    },
    {
      ...noAd,
      id: 'blindIndex.hmac-sha256',
      label: 'HMAC-SHA256 (node:crypto)',
      category: 'blindIndex',
      role: 'peer',
      library,
      async: false,
      describe: `createHmac('sha256') over the same framed message, top ${BLIND_INDEX_BITS} bits (the blind index an AES/node:crypto stack would use)`,
      run: () => {
        sink.value ^= hmacIndex(inputs.fieldText);
      },
      check: () => Promise.resolve({ indexValue: hmacIndex(inputs.fieldText) }),
    },
    {
      ...noAd,
      id: 'bulk.typeorm-encrypted-style',
      label: 'AES-256-GCM, typeorm-encrypted style',
      category: 'bulk',
      role: 'peer',
      library,
      async: false,
      bytesPerOp: inputs.bulkBytes.length,
      describe: 'as the field case, on the 1 MiB string (base64 column value)',
      run: () => {
        sink.value ^= typeorm.decrypt(typeorm.encrypt(inputs.bulkText)).length;
      },
      check: () => {
        requireEqual(
          typeorm.decrypt(typeorm.encrypt(inputs.bulkText)) === inputs.bulkText,
          'typeorm-encrypted style bulk',
        );
        return Promise.resolve({});
      },
    },
    {
      ...noAd,
      id: 'bulk.cloak-style',
      label: 'AES-256-GCM, @47ng/cloak style (node:crypto)',
      category: 'bulk',
      role: 'peer',
      library,
      async: false,
      bytesPerOp: inputs.bulkBytes.length,
      describe: 'as the field case, on the 1 MiB string',
      run: () => {
        sink.value ^= cloak.decrypt(cloak.encrypt(inputs.bulkText)).length;
      },
      check: () => {
        requireEqual(
          cloak.decrypt(cloak.encrypt(inputs.bulkText)) === inputs.bulkText,
          'cloak style bulk',
        );
        return Promise.resolve({});
      },
    },
    {
      id: 'bulk.aes-gcm-binary-ad',
      label: 'AES-256-GCM, binary, 40-byte AD',
      category: 'bulk',
      role: 'reference',
      library,
      async: false,
      bytesPerOp: inputs.bulkBytes.length,
      callerAdBytes: inputs.adBytes.length,
      effectiveAdBytes: null,
      describe: 'as the field case, on the 1 MiB Buffer',
      run: () => {
        sink.value ^= binary.open(binary.seal(inputs.bulkBytes))[0]!;
      },
      check: () => {
        requireEqual(
          sameBytes(binary.open(binary.seal(inputs.bulkBytes)), inputs.bulkBytes),
          'AES binary bulk',
        );
        return Promise.resolve({});
      },
    },
  ];
}
