/**
 * The keyring's fixed names: the ids of the keys every organisation starts with, where staff
 * sign-in secrets live, and the lockdown sweep's interval.
 */
/**
 * Key ids of the keys every organisation starts with. Keys made later (person keys, rotated data
 * keys) take ids from the sequence `person_key_id_seq`, which starts at 1000.
 */
export const KEK_ID = 1;
export const ORGANISATION_DATA_KEY_ID = 2;
export const INDEX_KEY_ID = 3;
export const AUDIT_KEY_ID = 4;

/** Where a staff sign-in secret lives: a TOTP seed (enrolled or being enrolled) of one user. */
export interface StaffSecretPlace {
  readonly organisationId: string;
  readonly userId: string;
  readonly column: 'totp_secret' | 'totp_pending';
}

/**
 * How often each instance looks for organisations that went into lockdown (through another
 * instance) while it holds their keys, and drops those keys (docs/security.md T25).
 */
export const LOCKDOWN_SWEEP_MS = 10_000;

/** The sweep interval in milliseconds (`LOCKDOWN_SWEEP_MS`; tests set 0: no timer). */
export const LOCKDOWN_SWEEP_INTERVAL = Symbol('LOCKDOWN_SWEEP_INTERVAL');

export const staffSecretField = (place: StaffSecretPlace) => ({
  organisationId: place.organisationId,
  table: 'staff_user',
  column: place.column,
  rowId: place.userId,
});

export const personKeyName = (organisationId: string, keyId: number, personId: string): string =>
  `${organisationId}:${keyId}:${personId}`;

/** The cache name of an organisation data key (current or rotated out). */
export const dataKeyName = (organisationId: string, keyId: number): string =>
  `${organisationId}:data:${keyId}`;

/** The cache name of a KEK. */
export const kekName = (organisationId: string, keyId: number): string =>
  `${organisationId}:kek:${keyId}`;

/** What a KEK row records as its wrapping key id: the master key, outside the keyring. */
export const LOCAL_MASTER_KEY_ID_IN_ROWS = 0;
