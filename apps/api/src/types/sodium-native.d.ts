// The sodium-native (5.x) functions the access-log verifier calls; the package ships no type
// declarations. Signatures follow node_modules/sodium-native/index.js.
declare module 'sodium-native' {
  export const crypto_hash_sha256_BYTES: number;
  /** Writes SHA-256(input) into `output` (32 bytes). */
  export function crypto_hash_sha256(output: ArrayBufferView, input: ArrayBufferView): void;
}
