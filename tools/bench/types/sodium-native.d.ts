// The few sodium-native (5.x) functions the benchmarks call; the package ships no type
// declarations. Signatures follow node_modules/sodium-native/index.js.
declare module 'sodium-native' {
  export const crypto_aead_xchacha20poly1305_ietf_ABYTES: number;
  export const crypto_aead_xchacha20poly1305_ietf_NPUBBYTES: number;
  export const crypto_aead_xchacha20poly1305_ietf_KEYBYTES: number;

  export function randombytes_buf(buffer: ArrayBufferView): void;
  /** Writes `m.byteLength + ABYTES` bytes into `c`; returns that length. */
  export function crypto_aead_xchacha20poly1305_ietf_encrypt(
    c: ArrayBufferView,
    m: ArrayBufferView,
    ad: ArrayBufferView | null,
    nsec: null,
    npub: ArrayBufferView,
    k: ArrayBufferView,
  ): number;
  /** Writes `c.byteLength - ABYTES` bytes into `m`; throws if the tag does not verify. */
  export function crypto_aead_xchacha20poly1305_ietf_decrypt(
    m: ArrayBufferView,
    nsec: null,
    c: ArrayBufferView,
    ad: ArrayBufferView | null,
    npub: ArrayBufferView,
    k: ArrayBufferView,
  ): number;
  /** Keyed (or unkeyed) BLAKE2b; the digest length is `output.byteLength`. */
  export function crypto_generichash(
    output: ArrayBufferView,
    input: ArrayBufferView,
    key?: ArrayBufferView | null,
  ): void;
}
