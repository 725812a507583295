import type { ClientBase } from 'pg';
import { statement, valuesOf, type Statement } from '../sql';

/**
 * Every column that holds a sealed value (an envelope: a CHECK on `get_byte(column, 0) = 1`),
 * with the row id its values are bound to and, where the value may be under a person's own
 * key, the column naming that person. `organisation_key.wrapped` is key material (opened by
 * the keyring itself), not a field.
 */
export interface SealedColumn {
  readonly table: string;
  readonly column: string;
  /** The column whose value is the `rowId` of the binding (and the order of the walk). */
  readonly rowId: string;
  /** The column naming the person whose key may seal the value, or null (organisation keys). */
  readonly person: string | null;
}

export const SEALED_COLUMNS: readonly SealedColumn[] = [
  ...['given_name', 'family_name', 'alias', 'date_of_birth', 'sex', 'phone'].map((column) => ({
    table: 'person_identity',
    column,
    rowId: 'person_id',
    person: 'person_id',
  })),
  { table: 'contact', column: 'notes', rowId: 'id', person: 'person_id' },
  { table: 'contact_amendment', column: 'reason', rowId: 'id', person: 'person_id' },
  { table: 'contact_amendment', column: 'notes', rowId: 'id', person: 'person_id' },
  { table: 'reveal_detail', column: 'detail', rowId: 'id', person: 'person_id' },
  { table: 'follow_up', column: 'text', rowId: 'id', person: 'person_id' },
  { table: 'referral', column: 'override_reason', rowId: 'id', person: null },
  { table: 'disclosure_request', column: 'requester', rowId: 'id', person: null },
  { table: 'disclosure_request', column: 'legal_instrument', rowId: 'id', person: null },
  { table: 'disclosure_request', column: 'legal_advice', rowId: 'id', person: null },
  { table: 'disclosure_request', column: 'refusal_reason', rowId: 'id', person: null },
  { table: 'idempotency_key', column: 'response', rowId: 'id', person: null },
  { table: 'canary', column: 'sealed', rowId: 'id', person: null },
  { table: 'staff_user', column: 'totp_secret', rowId: 'id', person: null },
  { table: 'staff_user', column: 'totp_pending', rowId: 'id', person: null },
];

/** Envelope columns that are not fields (opened by the keyring, not by a field check). */
export const KEY_MATERIAL_COLUMNS: readonly string[] = ['organisation_key.wrapped'];

export interface SealedValueRow {
  readonly row_id: string;
  readonly person_id: string | null;
  readonly ciphertext: Buffer;
}

type BatchParams = { organisationId: string; after: string; limit: number };

const camel = (s: string): string => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** One statement per sealed column: a batch of its values in one organisation, in row-id order. */
export const SEALED_BATCHES: ReadonlyMap<string, Statement<BatchParams, SealedValueRow>> = new Map(
  SEALED_COLUMNS.map((c) => [
    `${c.table}.${c.column}`,
    statement<BatchParams, SealedValueRow>(
      `sealedFields.${camel(c.table)}${camel(`_${c.column}`)}`,
      `SELECT "${c.rowId}"::text AS row_id, ${c.person === null ? 'NULL' : `"${c.person}"`}::text AS person_id,
       "${c.column}" AS ciphertext
  FROM "${c.table}"
 WHERE organisation_id = :organisationId AND "${c.column}" IS NOT NULL AND "${c.rowId}" > :after::uuid
 ORDER BY "${c.rowId}"
 LIMIT :limit`,
    ),
  ]),
);

/** The envelope columns the schema declares (`table.column`), from their CHECK constraints. */
export const envelopeColumns = statement<Record<string, never>, { field: string }>(
  'sealedFields.envelopeColumns',
  `SELECT DISTINCT c.relname || '.' || m[1] AS field
  FROM pg_constraint k
  JOIN pg_class c ON c.oid = k.conrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
 CROSS JOIN LATERAL regexp_matches(pg_get_constraintdef(k.oid), 'get_byte\\("?([a-z_]+)"?, 0\\) = 1', 'g') AS m
 WHERE k.contype = 'c' AND n.nspname = 'public'
 ORDER BY 1`,
);

const organisations = statement<Record<string, never>, { id: string }>(
  'sealedFields.organisations',
  `SELECT id::text AS id FROM organisation ORDER BY id`,
);

/**
 * Reads for the sealed-field check (`core/keyring/field-check.ts`) on a connection of the owner
 * role, which row-level security does not limit (the check covers every organisation): an
 * operator tool, never a request.
 */
export const sealedFieldReads = {
  async envelopeColumns(client: ClientBase): Promise<string[]> {
    return (await client.query<{ field: string }>(envelopeColumns.sql)).rows.map((r) => r.field);
  },
  async organisations(client: ClientBase): Promise<string[]> {
    return (await client.query<{ id: string }>(organisations.sql)).rows.map((r) => r.id);
  },
  async batch(
    client: ClientBase,
    field: string,
    params: BatchParams,
  ): Promise<readonly SealedValueRow[]> {
    const stmt = SEALED_BATCHES.get(field);
    if (stmt === undefined) throw new Error(`not a sealed field: ${field}`);
    return (await client.query<SealedValueRow>(stmt.sql, valuesOf(stmt, params))).rows;
  },
};
