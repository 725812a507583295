import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { open, seal, sealWithNonce } from './aead';
import { concat, fromHex, toHex, u32be } from './bytes';
import { DecryptionError } from './errors';
import {
  ALG_XCHACHA20_POLY1305_IETF,
  encodeHeader,
  FORMAT_VERSION,
  HEADER_BYTES,
  NONCE_BYTES,
} from './format';
import { loadSodium, type Sodium } from './sodium';

/**
 * Known-answer tests for the AEAD under the Harbour envelope (docs/security.md T12, case 22):
 * draft-irtf-cfrg-xchacha-03 and Project Wycheproof, vendored in `src/test/vectors/`.
 */

const VECTORS = join(__dirname, '..', 'test', 'vectors');

function readVectors(file: string): unknown {
  return JSON.parse(readFileSync(join(VECTORS, file), 'utf8'));
}

interface WycheproofCase {
  readonly tcId: number;
  readonly comment: string;
  readonly key: string;
  readonly iv: string;
  readonly aad: string;
  readonly msg: string;
  readonly ct: string;
  readonly tag: string;
  readonly result: 'valid' | 'invalid' | 'acceptable';
  readonly flags: readonly string[];
}

interface WycheproofGroup {
  readonly ivSize: number;
  readonly keySize: number;
  readonly tagSize: number;
  readonly type: string;
  readonly tests: readonly WycheproofCase[];
}

interface WycheproofFile {
  readonly algorithm: string;
  readonly numberOfTests: number;
  readonly header: readonly string[];
  readonly schema: string;
  readonly testGroups: readonly WycheproofGroup[];
}

interface DraftVectors {
  readonly source: string;
  readonly licence: string;
  readonly hchacha20: { readonly key: string; readonly nonce: string; readonly subkey: string };
  readonly aeadXChaCha20Poly1305: {
    readonly plaintext: string;
    readonly aad: string;
    readonly key: string;
    readonly iv: string;
    readonly ciphertext: string;
    readonly tag: string;
  };
  readonly xchacha20Counter1: {
    readonly counter: number;
    readonly plaintext: string;
    readonly key: string;
    readonly iv: string;
    readonly keystream: string;
    readonly ciphertext: string;
  };
}

const wycheproof = readVectors('xchacha20_poly1305_test.json') as WycheproofFile;
const draft = readVectors('draft-irtf-cfrg-xchacha-03.json') as DraftVectors;
const allCases = wycheproof.testGroups.flatMap((group) =>
  group.tests.map((test) => ({ group, test })),
);

function decryptionFailure(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof DecryptionError) return error.reason;
    throw error;
  }
  throw new Error('expected a DecryptionError, but decryption returned data');
}

const KEY_ID = 0x0a0b0c0d;

let sodium: Sodium;

beforeAll(async () => {
  sodium = await loadSodium();
});

describe('vendored Wycheproof file (xchacha20_poly1305_test.json)', () => {
  it('parses, keeps its header fields and holds numberOfTests cases with unique ids', () => {
    expect(wycheproof.algorithm).toBe('XCHACHA20-POLY1305');
    expect(wycheproof.schema).toBe('aead_test_schema.json');
    expect(wycheproof.header.join(' ')).toContain('AeadTest');
    expect(allCases).toHaveLength(wycheproof.numberOfTests);
    expect(wycheproof.numberOfTests).toBe(284);
    expect(allCases.map(({ test }) => test.tcId)).toEqual(
      Array.from({ length: 284 }, (_, i) => i + 1),
    );
  });

  it('holds well-formed hex whose lengths match the group parameters', () => {
    for (const { group, test } of allCases) {
      for (const field of ['key', 'iv', 'aad', 'msg', 'ct', 'tag'] as const) {
        expect(test[field]).toMatch(/^(?:[0-9a-f]{2})*$/);
      }
      expect(test.key.length * 4).toBe(group.keySize);
      expect(test.iv.length * 4).toBe(group.ivSize);
      if (test.result === 'valid') {
        expect(test.ct.length).toBe(test.msg.length);
        expect(test.tag.length * 4).toBe(group.tagSize);
      }
    }
  });

  it('"Flipped bit" cases differ from their stated expected tag in exactly the named bits', () => {
    const flipped = allCases.filter(({ test }) => test.comment.startsWith('Flipped bit'));
    expect(flipped.length).toBeGreaterThan(40);
    for (const { test } of flipped) {
      const [named, expectedHex] = test.comment.split(' expected tag:') as [string, string];
      const bits = [...named.matchAll(/\d+/g)].map((m) => Number(m[0]));
      const expected = fromHex(expectedHex);
      const actual = fromHex(test.tag);
      const differing: number[] = [];
      for (let bit = 0; bit < 128; bit++) {
        if (((expected[bit >> 3]! ^ actual[bit >> 3]!) >> (bit & 7)) & 1) differing.push(bit);
      }
      expect(differing).toEqual(bits);
    }
  });
});

describe('Wycheproof XChaCha20-Poly1305 through the Harbour AEAD path', () => {
  const with192BitNonce = allCases.filter(({ group }) => group.ivSize === NONCE_BYTES * 8);
  const otherNonceSizes = allCases.filter(({ group }) => group.ivSize !== NONCE_BYTES * 8);

  it('covers every case: 280 with 192-bit nonces and 4 with other nonce sizes', () => {
    expect(with192BitNonce).toHaveLength(280);
    expect(otherNonceSizes.map(({ group }) => group.ivSize).sort((a, b) => a - b)).toEqual([
      64, 96, 160, 256,
    ]);
  });

  it.each(with192BitNonce.map(({ test }) => [test.tcId, test.result, test.comment, test] as const))(
    'tcId %i (%s) %s',
    (_tcId, _result, _comment, test) => {
      const key = fromHex(test.key);
      const iv = fromHex(test.iv);
      const aad = fromHex(test.aad);
      const msg = fromHex(test.msg);
      const expectedBody = test.ct + test.tag;
      const envelope = concat([encodeHeader(KEY_ID, iv), fromHex(expectedBody)]);

      switch (test.result) {
        case 'valid': {
          // libsodium directly: ct ‖ tag, and back.
          expect(
            toHex(sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(msg, aad, null, iv, key)),
          ).toBe(expectedBody);
          expect(
            toHex(
              sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
                null,
                fromHex(expectedBody),
                aad,
                iv,
                key,
              ),
            ),
          ).toBe(test.msg);
          // The envelope: sealing with this nonce gives header ‖ ct ‖ tag, and open returns msg.
          const sealed = sealWithNonce(sodium, key, KEY_ID, aad, msg, iv);
          expect(toHex(sealed)).toBe(toHex(envelope));
          expect(toHex(open(sodium, key, KEY_ID, aad, sealed))).toBe(test.msg);
          break;
        }
        case 'invalid':
          expect(decryptionFailure(() => open(sodium, key, KEY_ID, aad, envelope))).toBe(
            'authentication_failed',
          );
          expect(() =>
            sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
              null,
              fromHex(expectedBody),
              aad,
              iv,
              key,
            ),
          ).toThrow();
          break;
        case 'acceptable': {
          // Wycheproof: either outcome is allowed, but a successful decryption must return msg.
          let plaintext: Uint8Array | undefined;
          try {
            plaintext = open(sodium, key, KEY_ID, aad, envelope);
          } catch (error) {
            expect(error).toBeInstanceOf(DecryptionError);
          }
          if (plaintext !== undefined) expect(toHex(plaintext)).toBe(test.msg);
          break;
        }
      }
    },
  );

  it.each(otherNonceSizes.map(({ group, test }) => [test.tcId, group.ivSize, test] as const))(
    'tcId %i: a %i-bit nonce is rejected by the envelope and by libsodium',
    (_tcId, _ivSize, test) => {
      expect(test.result).toBe('invalid');
      const key = fromHex(test.key);
      const iv = fromHex(test.iv);
      const body = fromHex(test.ct + test.tag);
      // The format has room for 24-byte nonces only.
      expect(() => encodeHeader(KEY_ID, iv)).toThrow(RangeError);
      expect(() => sealWithNonce(sodium, key, KEY_ID, new Uint8Array(0), body, iv)).toThrow(
        RangeError,
      );
      // seal draws 24-byte nonces itself; libsodium refuses any other size.
      expect(() =>
        sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(body, null, null, iv, key),
      ).toThrow();
      expect(() =>
        sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, body, null, iv, key),
      ).toThrow();
      // A hand-made envelope carrying this nonce never decrypts.
      const forged = concat([
        Uint8Array.of(FORMAT_VERSION, ALG_XCHACHA20_POLY1305_IETF),
        u32be(KEY_ID),
        iv,
        body,
        new Uint8Array(16),
      ]);
      const reason = decryptionFailure(() => open(sodium, key, KEY_ID, new Uint8Array(0), forged));
      expect(['truncated', 'authentication_failed']).toContain(reason);
    },
  );
});

describe('seal (random nonces)', () => {
  it('writes version, algorithm, key id and a fresh 24-byte nonce, and opens', () => {
    const key = fromHex(wycheproof.testGroups[0]!.tests[0]!.key);
    const aad = fromHex('c0ffee');
    const message = new TextEncoder().encode('Quokka Zzcanary');
    const a = seal(sodium, key, KEY_ID, aad, message);
    const b = seal(sodium, key, KEY_ID, aad, message);
    expect(a).toHaveLength(HEADER_BYTES + message.length + 16);
    expect(toHex(a.subarray(0, 6))).toBe('0101' + toHex(u32be(KEY_ID)));
    expect(toHex(a.subarray(6, HEADER_BYTES))).not.toBe(toHex(b.subarray(6, HEADER_BYTES)));
    expect(new TextDecoder().decode(open(sodium, key, KEY_ID, aad, a))).toBe('Quokka Zzcanary');
    // The body is exactly the AEAD under the nonce written in the header.
    expect(toHex(a.subarray(HEADER_BYTES))).toBe(
      toHex(
        sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
          message,
          aad,
          null,
          a.subarray(6, HEADER_BYTES),
          key,
        ),
      ),
    );
  });
});

describe('draft-irtf-cfrg-xchacha-03 known answers', () => {
  it('names its source and licence', () => {
    expect(draft.source).toContain('draft-irtf-cfrg-xchacha-03');
    expect(draft.licence).toContain('BSD');
  });

  it('A.3.1 AEAD_XCHACHA20_POLY1305: ciphertext and tag through libsodium', () => {
    const v = draft.aeadXChaCha20Poly1305;
    expect(new TextDecoder().decode(fromHex(v.plaintext))).toBe(
      "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
    );
    expect(v.ciphertext.startsWith('bd6d179d3e83d43b')).toBe(true);
    expect(v.tag).toBe('c0875924c1c7987947deafd8780acf49');
    const out = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
      fromHex(v.plaintext),
      fromHex(v.aad),
      null,
      fromHex(v.iv),
      fromHex(v.key),
    );
    expect(toHex(out)).toBe(v.ciphertext + v.tag);
  });

  it('A.3.1 through the envelope: sealWithNonce with the draft nonce, then open', () => {
    const v = draft.aeadXChaCha20Poly1305;
    const key = fromHex(v.key);
    const aad = fromHex(v.aad);
    const sealed = sealWithNonce(sodium, key, KEY_ID, aad, fromHex(v.plaintext), fromHex(v.iv));
    expect(toHex(sealed.subarray(0, HEADER_BYTES))).toBe(
      toHex(encodeHeader(KEY_ID, fromHex(v.iv))),
    );
    expect(toHex(sealed.subarray(HEADER_BYTES))).toBe(v.ciphertext + v.tag);
    expect(toHex(open(sodium, key, KEY_ID, aad, sealed))).toBe(v.plaintext);
    // The draft's tag with one bit flipped is refused.
    sealed[sealed.length - 1]! ^= 0x01;
    expect(decryptionFailure(() => open(sodium, key, KEY_ID, aad, sealed))).toBe(
      'authentication_failed',
    );
  });

  it('2.2.1 HChaCha20: XChaCha20-Poly1305(K, N) equals ChaCha20-Poly1305-IETF(HChaCha20(K, N[0..16]), 0⁴ ‖ N[16..24])', () => {
    const v = draft.hchacha20;
    const key = fromHex(v.key);
    const subkey = fromHex(v.subkey);
    expect(v.subkey.startsWith('82413b42')).toBe(true);
    for (const tail of ['0001020304050607', 'ffffffffffffffff', '0000000000000000']) {
      const xnonce = fromHex(v.nonce + tail);
      const inner = fromHex('00000000' + tail);
      for (const message of [new Uint8Array(0), new TextEncoder().encode('HChaCha20 subkey')]) {
        const ad = fromHex('c0ffee');
        const viaX = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
          message,
          ad,
          null,
          xnonce,
          key,
        );
        const viaSubkey = sodium.crypto_aead_chacha20poly1305_ietf_encrypt(
          message,
          ad,
          null,
          inner,
          subkey,
        );
        expect(toHex(viaX)).toBe(toHex(viaSubkey));
      }
    }
    // A different subkey does not reproduce it, so the comparison can fail.
    const wrong = Uint8Array.from(subkey);
    wrong[0]! ^= 1;
    expect(
      toHex(
        sodium.crypto_aead_chacha20poly1305_ietf_encrypt(
          new Uint8Array(0),
          null,
          null,
          fromHex('000000000001020304050607'),
          wrong,
        ),
      ),
    ).not.toBe(
      toHex(
        sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
          new Uint8Array(0),
          null,
          null,
          fromHex(v.nonce + '0001020304050607'),
          key,
        ),
      ),
    );
  });

  it('A.3.2.2 XChaCha20 with block counter 1 is the AEAD ciphertext body', () => {
    const v = draft.xchacha20Counter1;
    expect(v.counter).toBe(1);
    const plaintext = fromHex(v.plaintext);
    const keystream = fromHex(v.keystream);
    expect(toHex(plaintext.map((byte, i) => byte ^ keystream[i]!))).toBe(v.ciphertext);
    const out = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
      plaintext,
      null,
      null,
      fromHex(v.iv),
      fromHex(v.key),
    );
    expect(out).toHaveLength(plaintext.length + 16);
    expect(toHex(out.subarray(0, plaintext.length))).toBe(v.ciphertext);
  });
});
