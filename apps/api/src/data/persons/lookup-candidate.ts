import type { KeyMaterial } from '../keys/key-material.store';
import type { PersonKeyRow } from '../keys/organisation-key.entity';

/** Encrypted identity columns of a candidate, by property. */
export type CandidateColumns = Readonly<
  Record<'givenName' | 'familyName' | 'alias' | 'dateOfBirth' | 'sex' | 'phone', Buffer | null>
>;

/** A candidate's encrypted identity with the keyring row of its key (read in the same trip). */
export interface CandidateIdentity {
  readonly keyId: number;
  readonly columns: CandidateColumns;
  readonly keyRow: PersonKeyRow | null;
}

/** Whether the caller holds person `personId`'s key `keyId` unwrapped already. */
export type HeldKey = (keyId: number, personId: string) => boolean;

/**
 * Whose view of restricted people a lookup takes: the staff id of a caller who may read only the
 * restricted people they are a key worker of, or null for a caller who may read every one (a
 * coordinator). `PersonAccess.restrictedReader` decides; the candidate queries apply it.
 */
export type RestrictedReader = string | null;

/**
 * A lookup candidate as read: code, and the encrypted identity (null when none is held). Never a
 * restricted person the reader may not read: the candidate queries leave those out.
 */
export interface Candidate {
  readonly personId: string;
  readonly code: string;
  readonly identity: CandidateIdentity | null;
}

export interface CandidateRow {
  person_id: string;
  code: string;
  key_id: number | null;
  given_name: Buffer | null;
  family_name: Buffer | null;
  alias: Buffer | null;
  date_of_birth: Buffer | null;
  sex: Buffer | null;
  phone: Buffer | null;
  key_purpose: string | null;
  key_subject_id: string | null;
  key_status: string | null;
}

/** A candidate from its row and, for a key not held unwrapped, the key's material. */
export function candidateOf(r: CandidateRow, material: KeyMaterial | undefined): Candidate {
  return {
    personId: r.person_id,
    code: r.code,
    identity:
      r.key_id === null
        ? null
        : {
            keyId: r.key_id,
            columns: {
              givenName: r.given_name,
              familyName: r.family_name,
              alias: r.alias,
              dateOfBirth: r.date_of_birth,
              sex: r.sex,
              phone: r.phone,
            },
            keyRow:
              r.key_purpose === null
                ? null
                : {
                    purpose: r.key_purpose,
                    subjectId: r.key_subject_id,
                    status: r.key_status!,
                    wrappingKeyId: material?.wrappingKeyId ?? 0,
                    wrapped:
                      material?.purpose === r.key_purpose && material.subjectId === r.key_subject_id
                        ? material.wrapped
                        : null,
                  },
          },
  };
}
