import { concat, lengthPrefixed, u32be, utf8, uuidBytes, writeU32be, writeUuid } from './bytes';
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
  return Uint8Array.from(fieldAssociatedDataView(place, keyId));
}

let scratch = new Uint8Array(256);

/**
 * @internal The associated data written into a shared scratch buffer: valid only until the next
 * call. The cipher copies it into libsodium synchronously, so encrypt and decrypt use this and
 * skip an allocation per value; everything else uses `fieldAssociatedData`.
 */
export function fieldAssociatedDataView(place: FieldPlace, keyId: number): Uint8Array {
  const prefix = fieldPrefix(place);
  const length = prefix.length + 16 + 4;
  if (scratch.length < length) scratch = new Uint8Array(length * 2);
  scratch.set(prefix, 0);
  writeUuid(scratch, prefix.length, place.rowId, 'rowId');
  writeU32be(scratch, prefix.length + 16, keyId);
  return scratch.subarray(0, length);
}

/**
 * Everything before the row id's bytes (including the row id's constant length prefix) depends
 * only on (organisation, table, column), so it is built and validated once per column and
 * cached (bounded; the cache holds no secrets).
 */
const PREFIX_CACHE_LIMIT = 4096;
// Nested maps keyed by the caller's own strings: V8 caches a string's hash, so lookups with the
// same place strings stay cheap, where a concatenated key would be re-hashed on every call.
const prefixCache = new Map<string, Map<string, Map<string, Uint8Array>>>();
let prefixCount = 0;

function fieldPrefix(place: FieldPlace): Uint8Array {
  const cached = prefixCache.get(place.organisationId)?.get(place.table)?.get(place.column);
  if (cached !== undefined) return cached;
  checkName(place.table, 'table');
  checkName(place.column, 'column');
  const prefix = concat([
    lengthPrefixed(FIELD_DOMAIN),
    Uint8Array.of(FORMAT_VERSION, ALG_XCHACHA20_POLY1305_IETF),
    lengthPrefixed(uuidBytes(place.organisationId, 'organisationId')),
    lengthPrefixed(utf8(place.table)),
    lengthPrefixed(utf8(place.column)),
    u32be(16),
  ]);
  if (prefixCount >= PREFIX_CACHE_LIMIT) {
    prefixCache.clear();
    prefixCount = 0;
  }
  let tables = prefixCache.get(place.organisationId);
  if (tables === undefined)
    prefixCache.set(place.organisationId, (tables = new Map<string, Map<string, Uint8Array>>()));
  let columns = tables.get(place.table);
  if (columns === undefined) tables.set(place.table, (columns = new Map<string, Uint8Array>()));
  columns.set(place.column, prefix);
  prefixCount++;
  return prefix;
}

export type WrappedKeyPurpose = 'kek' | 'organisation_data' | 'person_data' | 'index' | 'audit';

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
