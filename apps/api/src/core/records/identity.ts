import { IDENTITY_FIELDS, type IdentityField, type PersonIdentityInput } from '@harbour/domain';
import {
  IDENTITY_COLUMNS,
  type IdentityColumn,
  type PersonIdentityEntity,
} from '../../data/persons/person-identity.entity';
import type { CandidateColumns } from '../../data/persons/lookup-candidate';

/** A person's identity in plaintext, only ever held in memory for one request. */
export type Identity = { -readonly [K in keyof PersonIdentityInput]?: PersonIdentityInput[K] };

/** Identity field ↔ encrypted column. */
export const COLUMN_OF: Readonly<Record<IdentityField, IdentityColumn>> = {
  givenName: 'given_name',
  familyName: 'family_name',
  alias: 'alias',
  dateOfBirth: 'date_of_birth',
  sex: 'sex',
  phone: 'phone',
};

export const FIELD_OF = Object.fromEntries(
  Object.entries(COLUMN_OF).map(([field, column]) => [column, field]),
) as Readonly<Record<IdentityColumn, IdentityField>>;

/** Encrypted column ↔ property of an identity row. */
export const PROPERTY_OF: Readonly<Record<IdentityColumn, keyof CandidateColumns>> = {
  given_name: 'givenName',
  family_name: 'familyName',
  alias: 'alias',
  date_of_birth: 'dateOfBirth',
  sex: 'sex',
  phone: 'phone',
};

/** The names of the identity fields a row holds (never their values). */
export function heldFields(row: PersonIdentityEntity | null): IdentityField[] {
  if (row === null) return [];
  return IDENTITY_COLUMNS.filter((column) => row[PROPERTY_OF[column]] !== null).map(
    (column) => FIELD_OF[column],
  );
}

/** Trimmed identity values; empty strings dropped. */
export function cleanIdentity(input: PersonIdentityInput): Identity {
  const out: Identity = {};
  for (const field of IDENTITY_FIELDS) {
    const value = input[field];
    if (typeof value !== 'string') continue;
    const trimmed = value.trim();
    if (trimmed !== '') (out as Record<string, string>)[field] = trimmed;
  }
  return out;
}

export function presentFields(identity: Identity): IdentityField[] {
  return IDENTITY_FIELDS.filter((f) => identity[f] !== undefined);
}
