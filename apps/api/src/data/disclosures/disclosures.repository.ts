import { Injectable } from '@nestjs/common';
import type { Tx } from '../../infra/database/transaction';
import { query, queryReturning, statement } from '../sql';

/** A disclosure request as read back, with its people (ids and codes). */
export interface DisclosureRow {
  id: string;
  version: number;
  status: string;
  authority: string;
  requester: Buffer;
  legal_instrument: Buffer;
  legal_advice: Buffer | null;
  refusal_reason: Buffer | null;
  period_from: string;
  period_to: string;
  fields: string[];
  recorded_by: string;
  created_at: Date;
  disclosed_at: Date | null;
  closed_at: Date | null;
  person_ids: string[];
  person_codes: string[];
}

export interface DisclosureApprovalRow {
  request_id: string;
  approver_id: string;
  as_role: 'coordinator' | 'admin';
  approved_at: Date;
}

export interface NewDisclosure {
  organisationId: string;
  id: string;
  authority: string;
  requester: Buffer;
  legalInstrument: Buffer;
  legalAdvice: Buffer | null;
  periodFrom: string;
  periodTo: string;
  fields: string[];
  recordedBy: string;
  now: Date;
}

/** A change of a request's status (null leaves a column as it is). */
export interface DisclosureChange {
  organisationId: string;
  id: string;
  version: number;
  status: string;
  now: Date;
  reviewedAt: Date | null;
  decidedAt: Date | null;
  refusalReason: Buffer | null;
  refusedBy: string | null;
  disclosedAt: Date | null;
  disclosedBy: string | null;
  closedAt: Date | null;
}

const SELECT_VIEW = `SELECT r.id, r.version, r.status, r.authority, r.requester, r.legal_instrument,
       r.legal_advice, r.refusal_reason, r.period_from::text AS period_from,
       r.period_to::text AS period_to, r.fields, r.recorded_by, r.created_at, r.disclosed_at,
       r.closed_at,
       coalesce(array_agg(p.id ORDER BY p.code) FILTER (WHERE p.id IS NOT NULL), '{}') AS person_ids,
       coalesce(array_agg(p.code ORDER BY p.code) FILTER (WHERE p.id IS NOT NULL), '{}') AS person_codes
  FROM disclosure_request r
  LEFT JOIN disclosure_request_person rp
    ON rp.organisation_id = r.organisation_id AND rp.request_id = r.id
  LEFT JOIN person p ON p.organisation_id = rp.organisation_id AND p.id = rp.person_id`;

const personsByCode = statement<
  { organisationId: string; codes: string[] },
  { id: string; code: string }
>(
  'disclosures.personsByCode',
  `SELECT id, code FROM person
  WHERE organisation_id = :organisationId AND code = ANY(:codes::text[]) AND merged_into IS NULL`,
);

const insert = statement<NewDisclosure, { id: string }>(
  'disclosures.insert',
  `INSERT INTO disclosure_request (organisation_id, id, status, authority, requester,
    legal_instrument, legal_advice, period_from, period_to, fields, recorded_by, created_at,
    updated_at)
  VALUES (:organisationId, :id, 'recorded', :authority, :requester, :legalInstrument,
    :legalAdvice, :periodFrom::date, :periodTo::date, :fields::text[], :recordedBy, :now, :now)
  RETURNING id`,
);

const insertPeople = statement<
  { organisationId: string; requestId: string; personIds: string[] },
  { person_id: string }
>(
  'disclosures.insertPeople',
  `INSERT INTO disclosure_request_person (organisation_id, request_id, person_id)
  SELECT :organisationId, :requestId, unnest(:personIds::uuid[])
  RETURNING person_id`,
);

const list = statement<{ organisationId: string; limit: number }, DisclosureRow>(
  'disclosures.list',
  `${SELECT_VIEW}
  WHERE r.organisation_id = :organisationId
  GROUP BY r.organisation_id, r.id
  ORDER BY r.created_at DESC, r.id DESC
  LIMIT :limit`,
);

const byId = statement<{ organisationId: string; id: string }, DisclosureRow>(
  'disclosures.byId',
  `${SELECT_VIEW}
  WHERE r.organisation_id = :organisationId AND r.id = :id
  GROUP BY r.organisation_id, r.id`,
);

const lock = statement<
  { organisationId: string; id: string },
  { status: string; version: number; recorded_by: string }
>(
  'disclosures.lock',
  `SELECT status, version, recorded_by FROM disclosure_request
  WHERE organisation_id = :organisationId AND id = :id FOR UPDATE`,
);

const approvals = statement<{ organisationId: string; ids: string[] }, DisclosureApprovalRow>(
  'disclosures.approvals',
  `SELECT request_id, approver_id, as_role, approved_at FROM disclosure_approval
  WHERE organisation_id = :organisationId AND request_id = ANY(:ids::uuid[])
  ORDER BY approved_at, approver_id`,
);

const insertApproval = statement<
  { organisationId: string; requestId: string; approverId: string; asRole: string; now: Date },
  { request_id: string }
>(
  'disclosures.insertApproval',
  `INSERT INTO disclosure_approval (organisation_id, request_id, approver_id, as_role, approved_at)
  VALUES (:organisationId, :requestId, :approverId, :asRole, :now)
  RETURNING request_id`,
);

const change = statement<DisclosureChange, { id: string }>(
  'disclosures.change',
  `UPDATE disclosure_request SET status = :status, version = version + 1, updated_at = :now,
    reviewed_at = coalesce(:reviewedAt, reviewed_at), decided_at = coalesce(:decidedAt, decided_at),
    refusal_reason = coalesce(:refusalReason, refusal_reason),
    refused_by = coalesce(:refusedBy, refused_by),
    disclosed_at = coalesce(:disclosedAt, disclosed_at),
    disclosed_by = coalesce(:disclosedBy, disclosed_by), closed_at = coalesce(:closedAt, closed_at)
  WHERE organisation_id = :organisationId AND id = :id AND version = :version
  RETURNING id`,
);

const insertFile = statement<
  {
    organisationId: string;
    requestId: string;
    fileName: string;
    content: Buffer;
    now: Date;
  },
  { request_id: string }
>(
  'disclosures.insertFile',
  `INSERT INTO disclosure_file (organisation_id, request_id, file_name, content, size_bytes,
    created_at)
  VALUES (:organisationId, :requestId, :fileName, :content, octet_length(:content::bytea), :now)
  RETURNING request_id`,
);

const file = statement<
  { organisationId: string; requestId: string },
  { file_name: string; content: Buffer }
>(
  'disclosures.file',
  `SELECT file_name, content FROM disclosure_file
  WHERE organisation_id = :organisationId AND request_id = :requestId`,
);

const aboutPerson = statement<
  { organisationId: string; personId: string },
  { id: string; authority: string; status: string; disclosed_at: Date | null }
>(
  'disclosures.aboutPerson',
  `SELECT r.id, r.authority, r.status, r.disclosed_at
  FROM disclosure_request_person rp
  JOIN disclosure_request r ON r.organisation_id = rp.organisation_id AND r.id = rp.request_id
  WHERE rp.organisation_id = :organisationId AND rp.person_id = :personId
  ORDER BY r.created_at DESC, r.id DESC`,
);

const personExists = statement<{ organisationId: string; personId: string }, { id: string }>(
  'disclosures.personExists',
  `SELECT id FROM person WHERE organisation_id = :organisationId AND id = :personId`,
);

/**
 * Disclosure requests, their people, approvals and files. Sealed text stays sealed here: the
 * service opens it (`disclosures.service.ts`).
 */
@Injectable()
export class DisclosuresRepository {
  async personsByCode(
    tx: Tx,
    organisationId: string,
    codes: readonly string[],
  ): Promise<{ id: string; code: string }[]> {
    return query(tx.manager, personsByCode, { organisationId, codes: [...codes] });
  }

  async insert(tx: Tx, row: NewDisclosure, personIds: readonly string[]): Promise<void> {
    await queryReturning(tx.manager, insert, row);
    await queryReturning(tx.manager, insertPeople, {
      organisationId: row.organisationId,
      requestId: row.id,
      personIds: [...personIds],
    });
  }

  async list(tx: Tx, organisationId: string, limit: number): Promise<DisclosureRow[]> {
    return query(tx.manager, list, { organisationId, limit });
  }

  async find(tx: Tx, organisationId: string, id: string): Promise<DisclosureRow | undefined> {
    const [row] = await query(tx.manager, byId, { organisationId, id });
    return row;
  }

  async lock(tx: Tx, organisationId: string, id: string) {
    const [row] = await query(tx.manager, lock, { organisationId, id });
    return row;
  }

  async approvals(
    tx: Tx,
    organisationId: string,
    ids: readonly string[],
  ): Promise<DisclosureApprovalRow[]> {
    return query(tx.manager, approvals, { organisationId, ids: [...ids] });
  }

  async approve(
    tx: Tx,
    organisationId: string,
    requestId: string,
    approverId: string,
    asRole: 'coordinator' | 'admin',
    now: Date,
  ): Promise<void> {
    await queryReturning(tx.manager, insertApproval, {
      organisationId,
      requestId,
      approverId,
      asRole,
      now,
    });
  }

  /** Applies `change` if the request is still at `change.version`; whether it was. */
  async change(tx: Tx, change_: DisclosureChange): Promise<boolean> {
    return (await queryReturning(tx.manager, change, change_)).length === 1;
  }

  async insertFile(
    tx: Tx,
    organisationId: string,
    requestId: string,
    fileName: string,
    content: Buffer,
    now: Date,
  ): Promise<void> {
    await queryReturning(tx.manager, insertFile, {
      organisationId,
      requestId,
      fileName,
      content,
      now,
    });
  }

  async file(tx: Tx, organisationId: string, requestId: string) {
    const [row] = await query(tx.manager, file, { organisationId, requestId });
    return row;
  }

  async aboutPerson(tx: Tx, organisationId: string, personId: string) {
    return query(tx.manager, aboutPerson, { organisationId, personId });
  }

  async personExists(tx: Tx, organisationId: string, personId: string): Promise<boolean> {
    return (await query(tx.manager, personExists, { organisationId, personId })).length === 1;
  }
}
