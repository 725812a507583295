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
