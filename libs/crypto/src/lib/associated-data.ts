import { concat, lengthPrefixed, u32be, utf8, uuidBytes } from './bytes';
import { PlacementError } from './errors';
import { ALG_XCHACHA20_POLY1305_IETF, FORMAT_VERSION } from './format';

/** Where an encrypted value lives. Its ciphertext decrypts only in exactly this place. */
export interface FieldPlace {
  /** Canonical UUID of the owning organisation. */
  readonly organisationId: string;
  /** Table name, e.g. `person`. */
  readonly table: string;
  /** Column name, e.g. `given_name`. */
  readonly column: string;
  /** Canonical UUID (v7) of the row, generated before INSERT. */
  readonly rowId: string;
}

const FIELD_DOMAIN = utf8('harbour.field');
const NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function checkName(name: string, part: string): void {
  if (!NAME.test(name)) throw new PlacementError('invalid_name', part);
}

/**
 * Associated data of a field ciphertext (README: "Associated data"):
 *
 *   lp("harbour.field") ‖ version(1) ‖ alg(1) ‖ lp(org uuid, 16 bytes) ‖ lp(table) ‖ lp(column)
 *   ‖ lp(row uuid, 16 bytes) ‖ key_id(4, big-endian)
 *
 * where lp(x) = u32be(length of x) ‖ x and names are UTF-8. Swapping a ciphertext to another
 * organisation, table, column or row, or relabelling it with another key id, fails to decrypt.
 */
export function fieldAssociatedData(place: FieldPlace, keyId: number): Uint8Array {
  checkName(place.table, 'table');
  checkName(place.column, 'column');
  return concat([
    lengthPrefixed(FIELD_DOMAIN),
    Uint8Array.of(FORMAT_VERSION, ALG_XCHACHA20_POLY1305_IETF),
    lengthPrefixed(uuidBytes(place.organisationId, 'organisationId')),
    lengthPrefixed(utf8(place.table)),
    lengthPrefixed(utf8(place.column)),
    lengthPrefixed(uuidBytes(place.rowId, 'rowId')),
    u32be(keyId),
  ]);
}

export type WrappedKeyPurpose = 'kek' | 'organisation_data' | 'person_data' | 'index';

/** What a wrapped key is for and whom it belongs to; bound into the wrapping's associated data. */
export interface KeyBinding {
  readonly organisationId: string;
  readonly purpose: WrappedKeyPurpose;
  /** The wrapped key's own id. */
  readonly keyId: number;
  /** For `person_data`: the person's row id. */
  readonly subjectId?: string;
}

const WRAP_DOMAIN = utf8('harbour.keywrap');

/**
 * Associated data of a wrapped key:
 *
 *   lp("harbour.keywrap") ‖ version(1) ‖ alg(1) ‖ lp(org uuid) ‖ lp(purpose) ‖ lp(subject uuid or
 *   empty) ‖ wrapped key_id(4) ‖ wrapping key_id(4)
 */
export function keyWrapAssociatedData(binding: KeyBinding, wrappingKeyId: number): Uint8Array {
  if (binding.purpose === 'person_data' && binding.subjectId === undefined) {
    throw new PlacementError('invalid_uuid', 'subjectId');
  }
  return concat([
    lengthPrefixed(WRAP_DOMAIN),
    Uint8Array.of(FORMAT_VERSION, ALG_XCHACHA20_POLY1305_IETF),
    lengthPrefixed(uuidBytes(binding.organisationId, 'organisationId')),
    lengthPrefixed(utf8(binding.purpose)),
    lengthPrefixed(
      binding.subjectId === undefined
        ? new Uint8Array(0)
        : uuidBytes(binding.subjectId, 'subjectId'),
    ),
    u32be(binding.keyId),
    u32be(wrappingKeyId),
  ]);
}
