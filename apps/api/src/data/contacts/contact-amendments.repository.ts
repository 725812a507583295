import { Injectable } from '@nestjs/common';
import type { Tx } from '../../infra/database/transaction';
import { query, statement } from '../sql';

/** An amendment as `insert` writes it (reason and notes already sealed). */
export interface NewContactAmendment {
  readonly organisationId: string;
  readonly id: string;
  readonly contactId: string;
  readonly personId: string;
  readonly fields: string[];
  readonly reason: Buffer;
  readonly notes: Buffer | null;
  readonly createdBy: string;
}

export interface ContactAmendmentRow {
  readonly id: string;
  readonly fields: string[];
  readonly reason: Buffer;
  readonly notes: Buffer | null;
  readonly created_by: string;
  readonly created_at: Date;
}

/** Per contact: that it was amended, and whether its notes as last corrected exist. */
export interface AmendedSummary {
  readonly contact_id: string;
  /** Null when no amendment corrected the notes (the contact's own notes stand). */
  readonly has_notes: boolean | null;
}

const insert = statement<NewContactAmendment, { created_at: Date }>(
  'contactAmendments.insert',
  `INSERT INTO contact_amendment (organisation_id, id, contact_id, person_id, fields, reason, notes,
                               created_by)
VALUES (:organisationId, :id, :contactId, :personId, :fields::text[], :reason, :notes, :createdBy)
RETURNING created_at`,
);

const ofContact = statement<{ organisationId: string; contactId: string }, ContactAmendmentRow>(
  'contactAmendments.ofContact',
  `SELECT id, fields, reason, notes, created_by, created_at
  FROM contact_amendment
 WHERE organisation_id = :organisationId AND contact_id = :contactId
 ORDER BY created_at, id`,
);

const summaries = statement<{ organisationId: string; contactIds: string[] }, AmendedSummary>(
  'contactAmendments.summaries',
  `SELECT a.contact_id,
       (SELECT n.notes IS NOT NULL FROM contact_amendment n
         WHERE n.organisation_id = a.organisation_id AND n.contact_id = a.contact_id
           AND 'notes' = ANY(n.fields)
         ORDER BY n.created_at DESC, n.id DESC LIMIT 1) AS has_notes
  FROM (SELECT DISTINCT organisation_id, contact_id FROM contact_amendment
         WHERE organisation_id = :organisationId AND contact_id = ANY(:contactIds::uuid[])) a`,
);

/**
 * Amendments of contacts: appended, never changed (the API role holds no UPDATE or DELETE on
 * the table). Sealing and opening their text is `ContactAmendments` (core/records).
 */
@Injectable()
export class ContactAmendmentsRepository {
  async insert(tx: Tx, row: NewContactAmendment): Promise<Date> {
    const [written] = await query(tx.manager, insert, row);
    return written!.created_at;
  }

  /** The contact's amendments, oldest first. */
  ofContact(tx: Tx, organisationId: string, contactId: string): Promise<ContactAmendmentRow[]> {
    return query(tx.manager, ofContact, { organisationId, contactId });
  }

  /** The amended contacts among `contactIds`, by id. */
  async summaries(
    tx: Tx,
    organisationId: string,
    contactIds: readonly string[],
  ): Promise<Map<string, AmendedSummary>> {
    if (contactIds.length === 0) return new Map();
    const rows = await query(tx.manager, summaries, {
      organisationId,
      contactIds: [...contactIds],
    });
    return new Map(rows.map((r) => [r.contact_id, r]));
  }
}
