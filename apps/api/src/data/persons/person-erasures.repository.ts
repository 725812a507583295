import { Injectable } from '@nestjs/common';
import type { Tx } from '../../infra/database/transaction';
import { query, statement } from '../sql';

export interface ErasureRow {
  identity_fields: string[];
  index_entries_removed: number;
  keys_destroyed: number;
  notes_shredded: number;
  erased_at: Date;
  backups_clear_at: Date;
}

export interface NewErasure {
  organisationId: string;
  id: string;
  personId: string;
  identityFields: string[];
  indexEntriesRemoved: number;
  keysDestroyed: number;
  notesShredded: number;
  erasedAt: Date;
  backupsClearAt: Date;
}

const erasure = statement<{ organisationId: string; personId: string }, ErasureRow>(
  'personErasures.find',
  `SELECT identity_fields, index_entries_removed, keys_destroyed, notes_shredded, erased_at,
          backups_clear_at
     FROM person_erasure
    WHERE organisation_id = :organisationId AND person_id = :personId`,
);

const insertErasure = statement<NewErasure>(
  'personErasures.insert',
  `INSERT INTO person_erasure (organisation_id, id, person_id, identity_fields,
          index_entries_removed, keys_destroyed, notes_shredded, erased_at,
          backups_clear_at)
   VALUES (:organisationId, :id, :personId, :identityFields, :indexEntriesRemoved,
           :keysDestroyed, :notesShredded, :erasedAt, :backupsClearAt)`,
);

/** Erasure receipts: written with the erasure, read when the receipt is downloaded again. */
@Injectable()
export class PersonErasuresRepository {
  async find(tx: Tx, organisationId: string, personId: string): Promise<ErasureRow | null> {
    const [row] = await query(tx.manager, erasure, { organisationId, personId });
    return row ?? null;
  }

  async insert(tx: Tx, row: NewErasure): Promise<void> {
    await query(tx.manager, insertErasure, row);
  }
}
