import { Injectable } from '@nestjs/common';
import type { Tx } from '../../infra/database/transaction';
import { query, statement } from '../sql';

/** A check-in row as the API writes and reads it (ratings in domain order, null: not discussed). */
export interface CheckInRow {
  readonly id: string;
  readonly personId: string;
  readonly checkedOn: string;
  readonly safety: number | null;
  readonly legalStatus: number | null;
  readonly healthWellbeing: number | null;
  readonly workMoney: number | null;
  readonly housing: number | null;
  readonly socialSupport: number | null;
  readonly createdBy: string;
  readonly createdAt: Date;
}

interface SqlRow {
  id: string;
  person_id: string;
  checked_on: string;
  safety: number | null;
  legal_status: number | null;
  health_wellbeing: number | null;
  work_money: number | null;
  housing: number | null;
  social_support: number | null;
  created_by: string;
  created_at: Date;
}

const COLUMNS = `id, person_id, to_char(checked_on, 'YYYY-MM-DD') AS checked_on, safety, legal_status,
       health_wellbeing, work_money, housing, social_support, created_by, created_at`;

/**
 * The person a check-in is for: whether erased, and the first day they can have a check-in —
 * the earlier of the day their record was created (the earliest calendar day anywhere then,
 * UTC−12) and their first contact.
 */
const person = statement<
  { organisationId: string; personId: string },
  { code: string; erased: boolean; first_day: string }
>(
  'outcomes.person',
  `SELECT p.code, p.erased_at IS NOT NULL AS erased,
          to_char(least(((p.created_at AT TIME ZONE 'UTC') - interval '12 hours')::date,
                        (SELECT min(c.occurred_on) FROM contact c
                          WHERE c.organisation_id = p.organisation_id AND c.person_id = p.id)),
                  'YYYY-MM-DD') AS first_day
     FROM person p WHERE p.organisation_id = :organisationId AND p.id = :personId`,
);

interface InsertParams {
  organisationId: string;
  id: string;
  personId: string;
  checkedOn: string;
  safety: number | null;
  legalStatus: number | null;
  healthWellbeing: number | null;
  workMoney: number | null;
  housing: number | null;
  socialSupport: number | null;
  createdBy: string;
}

const insert = statement<InsertParams, SqlRow>(
  'outcomes.insert',
  `INSERT INTO outcome_check_in (organisation_id, id, person_id, checked_on, safety, legal_status,
          health_wellbeing, work_money, housing, social_support, created_by)
   VALUES (:organisationId, :id, :personId, :checkedOn::date, :safety, :legalStatus,
           :healthWellbeing, :workMoney, :housing, :socialSupport, :createdBy)
   RETURNING ${COLUMNS}`,
);

const list = statement<{ organisationId: string; personId: string }, SqlRow>(
  'outcomes.list',
  `SELECT ${COLUMNS} FROM outcome_check_in
    WHERE organisation_id = :organisationId AND person_id = :personId
    ORDER BY checked_on DESC, created_at DESC, id DESC`,
);

/**
 * Development only (the demo seed): a check-in dated as if entered on its day, as a report
 * counts it in the month it was entered (docs/adr/0007).
 */
const insertEnteredAt = statement<InsertParams & { createdAt: Date }>(
  'outcomes.insertEnteredAt',
  `INSERT INTO outcome_check_in (organisation_id, id, person_id, checked_on, safety, legal_status,
          health_wellbeing, work_money, housing, social_support, created_by, created_at)
   VALUES (:organisationId, :id, :personId, :checkedOn::date, :safety, :legalStatus,
           :healthWellbeing, :workMoney, :housing, :socialSupport, :createdBy, :createdAt)`,
);

/** Development only (the demo seed): people with contacts, and the day of their first one. */
const toRow = (r: SqlRow): CheckInRow => ({
  id: r.id,
  personId: r.person_id,
  checkedOn: r.checked_on,
  safety: r.safety,
  legalStatus: r.legal_status,
  healthWellbeing: r.health_wellbeing,
  workMoney: r.work_money,
  housing: r.housing,
  socialSupport: r.social_support,
  createdBy: r.created_by,
  createdAt: r.created_at,
});

/** Outcome check-ins: insert-only, read per person newest first. */
@Injectable()
export class OutcomeCheckInsRepository {
  async person(
    tx: Tx,
    organisationId: string,
    personId: string,
  ): Promise<{ code: string; erased: boolean; firstDay: string } | undefined> {
    const [row] = await query(tx.manager, person, { organisationId, personId });
    return row === undefined
      ? undefined
      : { code: row.code, erased: row.erased, firstDay: row.first_day };
  }

  async insert(tx: Tx, row: InsertParams): Promise<CheckInRow> {
    const [created] = await query(tx.manager, insert, row);
    return toRow(created!);
  }

  /** Newest first (by the day, then by entry). */
  async list(tx: Tx, organisationId: string, personId: string): Promise<CheckInRow[]> {
    return (await query(tx.manager, list, { organisationId, personId })).map(toRow);
  }

  /** Development only: see `insertEnteredAt`. */
  async insertEnteredAt(tx: Tx, row: InsertParams & { createdAt: Date }): Promise<void> {
    await query(tx.manager, insertEnteredAt, row);
  }
}
