// The sodium-native SHA-256 functions the access-log benchmark calls (merged into the module
// declared in tools/bench/types/sodium-native.d.ts). Signatures follow
// node_modules/sodium-native/index.js.
declare module 'sodium-native' {
  export const crypto_hash_sha256_BYTES: number;
  /** Writes SHA-256(input) into `output` (32 bytes). */
  export function crypto_hash_sha256(output: ArrayBufferView, input: ArrayBufferView): void;
}
