import { Client } from 'pg';
import { DecryptionError, KeyError } from '@harbour/crypto';
import type { Db } from '../../infra/database/transaction';
import {
  KEY_MATERIAL_COLUMNS,
  SEALED_COLUMNS,
  sealedFieldReads,
} from '../../data/keys/sealed-fields.repository';
import type { KeyringService } from './keyring.service';

const FIRST_ID = '00000000-0000-0000-0000-000000000000';

/** Per sealed field (`table.column`): values opened and values that failed to open. */
export interface FieldCheckResult {
  readonly fields: Readonly<Record<string, { opened: number; failed: number }>>;
  readonly opened: number;
  readonly failed: number;
  /** Envelope columns of the schema this checker does not know how to open (each a failure). */
  readonly unknownColumns: readonly string[];
  readonly organisations: number;
}

export interface FieldCheckOptions {
  /** Owner role of the database: reads every organisation's ciphertext (row-level security off). */
  readonly ownerUrl: string;
  /** The app's transactions (each organisation's keyring is read under its own tenant). */
  readonly db: Db;
  readonly keyring: KeyringService;
  readonly batch?: number;
  readonly onProgress?: (field: string, opened: number, failed: number) => void;
}

/**
 * Opens every sealed value of every organisation with the keys the app holds (the keyring of
 * this database under the configured key provider), in batches, and counts per field what
 * opened and what did not: the proof that a restored database is readable. Plaintext is zeroed
 * as soon as it is opened and never leaves this function; only counts do. An envelope column
 * the checker does not know is reported (and fails the check), so a new sealed field cannot be
 * silently left out.
 */
export async function checkSealedFields(options: FieldCheckOptions): Promise<FieldCheckResult> {
  const limit = options.batch ?? 500;
  const owner = new Client({ connectionString: options.ownerUrl, statement_timeout: 0 });
  await owner.connect();
  const fields: Record<string, { opened: number; failed: number }> = {};
  let organisations: string[];
  let unknownColumns: string[];
  try {
    const declared = await sealedFieldReads.envelopeColumns(owner);
    const known = new Set([
      ...SEALED_COLUMNS.map((c) => `${c.table}.${c.column}`),
      ...KEY_MATERIAL_COLUMNS,
    ]);
    unknownColumns = declared.filter((field) => !known.has(field));
    organisations = await sealedFieldReads.organisations(owner);
    for (const column of SEALED_COLUMNS) {
      const field = `${column.table}.${column.column}`;
      const count = (fields[field] = { opened: 0, failed: 0 });
      for (const organisationId of organisations) {
        for (let after = FIRST_ID; ;) {
          const rows = await sealedFieldReads.batch(owner, field, { organisationId, after, limit });
          if (rows.length === 0) break;
          await options.db.transaction(organisationId, async (tx) => {
            for (const row of rows) {
              const ciphertext = new Uint8Array(row.ciphertext);
              const place = {
                organisationId,
                table: column.table,
                column: column.column,
                rowId: row.row_id,
              };
              try {
                const key = await options.keyring.keyForField(
                  tx,
                  organisationId,
                  ciphertext,
                  row.person_id,
                );
                options.keyring.cipher.decryptField(key, place, ciphertext).fill(0);
                count.opened++;
              } catch (error) {
                if (!(error instanceof DecryptionError) && !(error instanceof KeyError))
                  throw error;
                count.failed++;
              }
            }
          });
          after = rows[rows.length - 1]!.row_id;
          options.onProgress?.(field, count.opened, count.failed);
          if (rows.length < limit) break;
        }
      }
    }
  } finally {
    await owner.end();
  }
  const values = Object.values(fields);
  return {
    fields,
    opened: values.reduce((sum, f) => sum + f.opened, 0),
    failed: values.reduce((sum, f) => sum + f.failed, 0) + unknownColumns.length,
    unknownColumns,
    organisations: organisations.length,
  };
}
