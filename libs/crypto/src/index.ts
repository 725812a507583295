export type { FieldPlace, KeyBinding, WrappedKeyPurpose } from './lib/associated-data';
export { DecryptionError, KeyError, PlacementError } from './lib/errors';
export type { DecryptionFailure, KeyFailure, PlacementFailure } from './lib/errors';
export {
  ALG_XCHACHA20_POLY1305_IETF,
  ciphertextCheckSql,
  FORMAT_VERSION,
  HEADER_BYTES,
  MIN_CIPHERTEXT_BYTES,
  keyIdOf,
} from './lib/format';
export {
  BLIND_INDEX_DOMAIN,
  expectedCandidates,
  foldedNameTokens,
  MAX_INDEX_BITS,
  MAX_NAME_PAIR_TOKENS,
  MIN_INDEX_BITS,
  nameHoldsTokens,
  recommendIndexBits,
  toSignedInt32,
} from './lib/blind-index/blind-index';
export type {
  FoldedNameTokens,
  IndexBitsRecommendation,
  SimilarNameProbe,
  SimilarNameValues,
} from './lib/blind-index/blind-index';
export {
  editDistance,
  PHONETIC_VERSION,
  phoneticKey,
  queryTokens,
  similarNameDistance,
  storedNameUnits,
} from './lib/blind-index/phonetic';
export { romaniseToken } from './lib/blind-index/romanise';
export {
  latinFoldedVariant,
  NORMALISATION_VERSION,
  normaliseName,
  normaliseValue,
  SUPPORTED_NORMALISATION_VERSIONS,
} from './lib/blind-index/normalise';
export type { ValueKind } from './lib/blind-index/normalise';
export { SLK581_INDEX_NAME, SLK581_VERSION, Slk581InputError } from './lib/blind-index/slk581';
export type {
  Slk581IndexResult,
  Slk581Input,
  Slk581InputFailure,
  Slk581Options,
  Slk581QualityIssue,
  Slk581Sex,
} from './lib/blind-index/slk581';
export {
  DISCLOSURE_PASSPHRASE_BITS,
  disclosurePassphrase,
  encryptedZip,
  ZIP_AES_PBKDF2_ITERATIONS,
} from './lib/encrypted-zip';
export type { ZipEntry } from './lib/encrypted-zip';
export { createCrypto } from './lib/harbour-crypto';
export type { BlindIndexer, HarbourCrypto } from './lib/harbour-crypto';
export { KeyCache } from './lib/key-cache';
export type { KeyCacheOptions } from './lib/key-cache';
export {
  LOCAL_MASTER_KEY_ID,
  LocalKeyProvider,
  MasterKeys,
  parseWrappedKey,
  serialiseWrappedKey,
} from './lib/keys';
export type { KeyProvider, WrappedKeyRecord } from './lib/keys';
export { loadMasterKey, MASTER_KEY_BYTES, MasterKeyError } from './lib/master-key';
export type { LoadedMasterKey, MasterKeyEnvironment, MasterKeySource } from './lib/master-key';
export { KEY_BYTES, SecretKey } from './lib/secret-key';
export { Sensitive, sensitive } from './lib/sensitive';
export { SigningKey } from './lib/signing';
export {
  decodeBase32,
  encodeBase32,
  generateTotpSecret,
  otpauthUri,
  TOTP_DEFAULT_WINDOW,
  TOTP_DIGITS,
  TOTP_ISSUER,
  TOTP_SECRET_BYTES,
  TOTP_STEP_SECONDS,
  totpCode,
  totpTimeStep,
  verifyTotp,
} from './lib/totp';
export type { OtpauthUriInput, TotpFailure, TotpVerification, TotpVerifyOptions } from './lib/totp';
export {
  DEFAULT_RECOVERY_CODE_COUNT,
  generateRecoveryCodes,
  hashRecoveryCode,
  normaliseRecoveryCode,
  RECOVERY_CODE_ALPHABET,
  RECOVERY_CODE_BITS,
  RECOVERY_CODE_HASH_BYTES,
  RECOVERY_CODE_LENGTH,
  recoveryCodeMatches,
} from './lib/recovery-codes';
export {
  CanonicalJsonError,
  canonicalJson,
  canonicalJsonBytes,
  MAX_CANONICAL_JSON_DEPTH,
} from './lib/audit/canonical-json';
export type { CanonicalJsonFailure } from './lib/audit/canonical-json';
export {
  CHECKPOINT_HASH_BYTES,
  CHECKPOINT_ORIGIN_MAX_LENGTH,
  checkpointBody,
  checkpointBodyBytes,
  CheckpointFormatError,
  parseCheckpointBody,
} from './lib/audit/checkpoint-format';
export type {
  Checkpoint,
  CheckpointFormatFailure,
  CheckpointParseResult,
} from './lib/audit/checkpoint-format';
export { signCheckpoint } from './lib/audit/checkpoint-writer';
export type { SignedCheckpoint } from './lib/audit/checkpoint-writer';
export {
  CompactRange,
  consistencyProof,
  emptyTreeHash,
  HASH_BYTES as MERKLE_HASH_BYTES,
  inclusionProof,
  leafHash,
  MerkleTree,
  merkleRoot,
  nodeHash,
} from './lib/audit/merkle';
export {
  emptyTreeHash as verifierEmptyTreeHash,
  leafHash as verifierLeafHash,
  nodeHash as verifierNodeHash,
  RootAccumulator,
  rootFromLeaves,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
} from './lib/audit/verifier';
export type { CheckpointFailure, CheckpointVerification } from './lib/audit/verifier';
