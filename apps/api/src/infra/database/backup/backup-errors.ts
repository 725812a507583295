/** Why a backup, restore or rehearsal was refused or failed: a stable code and an operator message. */
export type BackupErrorCode =
  | 'backup_key_invalid'
  | 'backup_key_missing'
  | 'not_a_backup'
  | 'unsupported_format'
  | 'wrong_backup_key'
  | 'wrong_kind'
  | 'tampered'
  | 'truncated'
  | 'trailing_data'
  | 'checksum_mismatch'
  | 'count_mismatch'
  | 'target_not_empty'
  | 'target_schema_mismatch'
  | 'unknown_migration'
  | 'restore_role_insufficient'
  | 'master_key_missing'
  | 'no_backup_found'
  | 'keyring_older_than_data'
  | 'keyring_missing';

/** A refusal or failure of the backup engine; its message never holds a value from the data. */
export class BackupError extends Error {
  constructor(
    readonly code: BackupErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BackupError';
  }
}
