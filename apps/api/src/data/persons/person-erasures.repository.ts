import { Injectable } from '@nestjs/common';
import type { Tx } from '../../infra/database/transaction';
import { query, queryReturning, statement } from '../sql';

export interface ErasureRow {
  identity_fields: string[];
  index_entries_removed: number;
  keys_destroyed: number;
  notes_shredded: number;
  follow_ups_cancelled: number | null;
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
  followUpsCancelled: number;
  erasedAt: Date;
  backupsClearAt: Date;
}

const erasure = statement<{ organisationId: string; personId: string }, ErasureRow>(
  'personErasures.find',
  `SELECT identity_fields, index_entries_removed, keys_destroyed, notes_shredded,
          follow_ups_cancelled, erased_at, backups_clear_at
     FROM person_erasure
    WHERE organisation_id = :organisationId AND person_id = :personId`,
);

const insertErasure = statement<NewErasure>(
  'personErasures.insert',
  `INSERT INTO person_erasure (organisation_id, id, person_id, identity_fields,
          index_entries_removed, keys_destroyed, notes_shredded, follow_ups_cancelled,
          erased_at, backups_clear_at)
   VALUES (:organisationId, :id, :personId, :identityFields, :indexEntriesRemoved,
           :keysDestroyed, :notesShredded, :followUpsCancelled, :erasedAt, :backupsClearAt)`,
);

const cancelOpenFollowUps = statement<
  { organisationId: string; personId: string; closedBy: string; now: Date },
  { id: string }
>(
  'personErasures.cancelOpenFollowUps',
  `UPDATE follow_up SET status = 'cancelled', completed_at = :now, completed_by = :closedBy,
          updated_at = :now, version = version + 1
    WHERE organisation_id = :organisationId AND person_id = :personId AND status = 'open'
   RETURNING id`,
);

const openFollowUps = statement<{ organisationId: string; personId: string }, { n: number }>(
  'personErasures.openFollowUps',
  `SELECT count(*)::int AS n FROM follow_up
    WHERE organisation_id = :organisationId AND person_id = :personId AND status = 'open'`,
);

/**
 * What an erasure writes besides shredding: its receipt (read again when the receipt is
 * downloaded), and the person's open follow-ups closed as cancelled.
 */
@Injectable()
export class PersonErasuresRepository {
  /**
   * Cancels the person's open follow-ups, closed by `closedBy` at `now`: nobody is to be followed
   * up who asked to be forgotten, and their words are gone with their key. Answers how many.
   */
  async cancelOpenFollowUps(
    tx: Tx,
    organisationId: string,
    personId: string,
    closedBy: string,
    now: Date,
  ): Promise<number> {
    return (
      await queryReturning(tx.manager, cancelOpenFollowUps, {
        organisationId,
        personId,
        closedBy,
        now,
      })
    ).length;
  }

  /** How many follow-ups of the person are open. */
  async openFollowUps(tx: Tx, organisationId: string, personId: string): Promise<number> {
    const [row] = await query(tx.manager, openFollowUps, { organisationId, personId });
    return row?.n ?? 0;
  }

  async find(tx: Tx, organisationId: string, personId: string): Promise<ErasureRow | null> {
    const [row] = await query(tx.manager, erasure, { organisationId, personId });
    return row ?? null;
  }

  async insert(tx: Tx, row: NewErasure): Promise<void> {
    await query(tx.manager, insertErasure, row);
  }
}
