/**
 * Lifecycle of a data key (docs/design.md §5): a new key becomes `active`; when it is replaced it
 * becomes `decrypt_only` while rows are re-encrypted; once no row uses it, `retired` (still
 * kept, wrapped, for restoring backups); after the backup window, `destroyed` (material gone).
 */
export const KEY_STATUSES = ['active', 'decrypt_only', 'retired', 'destroyed'] as const;

export type KeyStatus = (typeof KEY_STATUSES)[number];

const NEXT: Readonly<Record<KeyStatus, readonly KeyStatus[]>> = {
  active: ['decrypt_only'],
  decrypt_only: ['retired'],
  retired: ['destroyed'],
  destroyed: [],
};

export function canTransitionKey(from: KeyStatus, to: KeyStatus): boolean {
  return NEXT[from].includes(to);
}

/** Only an active key encrypts. */
export function keyCanEncrypt(status: KeyStatus): boolean {
  return status === 'active';
}

/** Active and decrypt-only keys decrypt live data; retired keys only when restoring a backup. */
export function keyCanDecrypt(status: KeyStatus, restoring = false): boolean {
  return status === 'active' || status === 'decrypt_only' || (restoring && status === 'retired');
}

/** The purposes of an organisation's own keys (person keys are counted, not listed). */
export const ORGANISATION_KEY_PURPOSES = ['kek', 'organisation_data', 'index', 'audit'] as const;
export type OrganisationKeyPurpose = (typeof ORGANISATION_KEY_PURPOSES)[number];

/** One of the organisation's own keys, as the admin's keys page shows it: never material. */
export interface OrganisationKeyView {
  readonly keyId: number;
  readonly purpose: OrganisationKeyPurpose;
  readonly status: KeyStatus;
  readonly createdAt: string;
  readonly retiredAt: string | null;
  /** When a retired key's material is destroyed (the end of the backup window). */
  readonly destroyAfter: string | null;
}

/** `GET /api/keys`: the organisation's keys, its person keys by status, and the latest rotation. */
export interface KeysView {
  readonly keys: readonly OrganisationKeyView[];
  readonly personKeys: Readonly<Record<KeyStatus, number>>;
  /** How long a retired key keeps its material, in days. */
  readonly backupWindowDays: number;
  /** The newest rotation job (of the data key or the KEK), if any (see `GET /api/jobs/:id`). */
  readonly latestRotationJobId: string | null;
}

/**
 * `POST /api/keys/rotations`: which key to rotate — the organisation data key (re-encrypts
 * values) or the key-encryption key (re-wraps the keyring's keys).
 */
export interface StartRotationRequest {
  readonly purpose: 'organisation_data' | 'kek';
}
