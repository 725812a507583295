import { Injectable } from '@nestjs/common';
import type { Tx } from '../../infra/database/transaction';
import { query, queryReturning, statement } from '../sql';

/** A row of a person's key workers, with the name colleagues see. */
export interface KeyWorkerRow {
  staff_id: string;
  display_name: string;
  assigned_at: Date;
}

/** One of a key worker's people: categories, never identity. */
export interface KeyWorkerPersonRow {
  person_id: string;
  code: string;
  age_band: string;
  region_of_origin: string;
  language_group: string | null;
  gender_identity: string | null;
  restricted: boolean;
  assigned_at: Date;
  last_contact_on: string | null;
  open_needs: number;
}

export interface StaffMemberRow {
  id: string;
  display_name: string;
  roles: string[];
  status: string;
}

type Org = { organisationId: string };

const keyWorkersOf = statement<Org & { personId: string }, KeyWorkerRow>(
  'keyWorkers.ofPerson',
  `SELECT k.staff_id, s.display_name, k.assigned_at
     FROM person_key_worker k
     JOIN staff_user s ON s.organisation_id = k.organisation_id AND s.id = k.staff_id
    WHERE k.organisation_id = :organisationId AND k.person_id = :personId
    ORDER BY k.assigned_at, k.staff_id`,
);

const unreadable = statement<Org & { personIds: string[]; staffId: string }, { id: string }>(
  'keyWorkers.restrictedFrom',
  `SELECT p.id FROM person p
    WHERE p.organisation_id = :organisationId AND p.id = ANY (:personIds::uuid[])
      AND p.restricted
      AND NOT EXISTS (
        SELECT 1 FROM person_key_worker k
         WHERE k.organisation_id = p.organisation_id AND k.person_id = p.id
           AND k.staff_id = :staffId)`,
);

const restrictedAmong = statement<Org & { personIds: string[] }, { id: string }>(
  'keyWorkers.restrictedAmong',
  `SELECT id FROM person
    WHERE organisation_id = :organisationId AND id = ANY (:personIds::uuid[]) AND restricted
    ORDER BY id`,
);

const assign = statement<
  Org & { personId: string; staffId: string; assignedBy: string; at: Date },
  { staff_id: string }
>(
  'keyWorkers.assign',
  `INSERT INTO person_key_worker (organisation_id, person_id, staff_id, assigned_at, assigned_by)
   VALUES (:organisationId, :personId, :staffId, :at, :assignedBy)
   ON CONFLICT DO NOTHING
   RETURNING staff_id`,
);

const remove = statement<Org & { personId: string; staffId: string }, { staff_id: string }>(
  'keyWorkers.remove',
  `DELETE FROM person_key_worker
    WHERE organisation_id = :organisationId AND person_id = :personId AND staff_id = :staffId
   RETURNING staff_id`,
);

const peopleOf = statement<
  Org & { staffId: string; after: string | null; limit: number },
  KeyWorkerPersonRow
>(
  'keyWorkers.peopleOf',
  `SELECT p.id AS person_id, p.code, p.age_band, p.region_of_origin, p.language_group,
          p.gender_identity, p.restricted, k.assigned_at,
          (SELECT max(c.occurred_on)::text FROM contact c
            WHERE c.organisation_id = p.organisation_id AND c.person_id = p.id) AS last_contact_on,
          (SELECT count(*)::int FROM support_need n
            WHERE n.organisation_id = p.organisation_id AND n.person_id = p.id
              AND n.status IN ('identified', 'in_progress')) AS open_needs
     FROM person_key_worker k
     JOIN person p ON p.organisation_id = k.organisation_id AND p.id = k.person_id
    WHERE k.organisation_id = :organisationId AND k.staff_id = :staffId
      AND (:after::text IS NULL OR p.code > :after::text)
    ORDER BY p.code
    LIMIT :limit`,
);

const caseStaff = statement<Org, StaffMemberRow>(
  'keyWorkers.caseStaff',
  `SELECT id, display_name, roles, status FROM staff_user
    WHERE organisation_id = :organisationId
      AND roles && ARRAY['caseworker', 'coordinator']::text[]
    ORDER BY status, display_name, id`,
);

const staffMember = statement<Org & { id: string }, StaffMemberRow>(
  'keyWorkers.staffMember',
  `SELECT id, display_name, roles, status FROM staff_user
    WHERE organisation_id = :organisationId AND id = :id`,
);

const heldBy = statement<Org & { staffId: string; personIds: string[] | null }, { id: string }>(
  'keyWorkers.heldBy',
  `SELECT k.person_id AS id FROM person_key_worker k
    WHERE k.organisation_id = :organisationId AND k.staff_id = :staffId
      AND (:personIds::uuid[] IS NULL OR k.person_id = ANY (:personIds::uuid[]))
    ORDER BY k.person_id`,
);

const moveAll = statement<
  Org & { fromStaffId: string; toStaffId: string; personIds: string[]; by: string; at: Date },
  { id: string }
>(
  'keyWorkers.handOver',
  `WITH gone AS (
     DELETE FROM person_key_worker
      WHERE organisation_id = :organisationId AND staff_id = :fromStaffId
        AND person_id = ANY (:personIds::uuid[])
     RETURNING person_id),
   added AS (
     INSERT INTO person_key_worker (organisation_id, person_id, staff_id, assigned_at, assigned_by)
     SELECT :organisationId, person_id, :toStaffId, :at, :by FROM gone
     ON CONFLICT DO NOTHING)
   SELECT person_id AS id FROM gone ORDER BY person_id`,
);

const recordHandover = statement<{
  organisationId: string;
  id: string;
  fromStaffId: string;
  toStaffId: string;
  personIds: string[];
  by: string;
  at: Date;
}>(
  'keyWorkers.recordHandover',
  `INSERT INTO key_worker_handover
     (organisation_id, id, from_staff_id, to_staff_id, person_ids, person_count, handed_by, handed_at)
   VALUES (:organisationId, :id, :fromStaffId, :toStaffId, :personIds::uuid[],
           cardinality(:personIds::uuid[]), :by, :at)`,
);

const setRestricted = statement<
  Org & { personId: string; restricted: boolean; version: number; by: string; at: Date },
  { version: number }
>(
  'keyWorkers.setRestricted',
  `UPDATE person
      SET restricted = :restricted, restricted_changed_by = :by, restricted_changed_at = :at,
          version = version + 1, updated_at = :at
    WHERE organisation_id = :organisationId AND id = :personId AND version = :version
   RETURNING version`,
);

const demoRestrict = statement<
  Org & { caseworkerId: string; coordinatorId: string; at: Date },
  { id: string }
>(
  'keyWorkers.demoRestrict',
  `UPDATE person
      SET restricted = true, restricted_changed_by = :coordinatorId, restricted_changed_at = :at,
          version = version + 1, updated_at = :at
    WHERE organisation_id = :organisationId
      AND id = (SELECT p.id FROM person p
                  JOIN person_key_worker k
                    ON k.organisation_id = p.organisation_id AND k.person_id = p.id
                 WHERE p.organisation_id = :organisationId AND p.has_identity
                   AND k.staff_id = :caseworkerId
                 ORDER BY p.code LIMIT 1)
   RETURNING id`,
);

/**
 * Key workers (`person_key_worker`), their hand-overs (`key_worker_handover`) and the
 * restriction of a person (`person.restricted`). Nothing here sees identity.
 */
@Injectable()
export class KeyWorkersRepository {
  keyWorkersOf(tx: Tx, organisationId: string, personId: string): Promise<KeyWorkerRow[]> {
    return query(tx.manager, keyWorkersOf, { organisationId, personId });
  }

  /** The restricted people among `personIds` whose key worker `staffId` is not. */
  async restrictedFrom(
    tx: Tx,
    organisationId: string,
    staffId: string,
    personIds: readonly string[],
  ): Promise<Set<string>> {
    if (personIds.length === 0) return new Set();
    const rows = await query(tx.manager, unreadable, {
      organisationId,
      staffId,
      personIds: [...personIds],
    });
    return new Set(rows.map((r) => r.id));
  }

  /** The restricted people among `personIds`. */
  async restrictedAmong(
    tx: Tx,
    organisationId: string,
    personIds: readonly string[],
  ): Promise<string[]> {
    const rows = await query(tx.manager, restrictedAmong, {
      organisationId,
      personIds: [...personIds],
    });
    return rows.map((r) => r.id);
  }

  /** Adds a key worker; false when they already were one. */
  async assign(
    tx: Tx,
    organisationId: string,
    personId: string,
    staffId: string,
    assignedBy: string,
    at: Date,
  ): Promise<boolean> {
    const rows = await query(tx.manager, assign, {
      organisationId,
      personId,
      staffId,
      assignedBy,
      at,
    });
    return rows.length === 1;
  }

  /** Removes a key worker; false when they were not one. */
  async remove(tx: Tx, organisationId: string, personId: string, staffId: string) {
    const rows = await queryReturning(tx.manager, remove, { organisationId, personId, staffId });
    return rows.length === 1;
  }

  /** One page of the people `staffId` is key worker of, by code after `after`. */
  peopleOf(
    tx: Tx,
    organisationId: string,
    staffId: string,
    after: string | null,
    limit: number,
  ): Promise<KeyWorkerPersonRow[]> {
    return query(tx.manager, peopleOf, { organisationId, staffId, after, limit });
  }

  /** Staff with a case role (caseworker or coordinator), active ones first, by name. */
  caseStaff(tx: Tx, organisationId: string) {
    return query(tx.manager, caseStaff, { organisationId });
  }

  async staffMember(tx: Tx, organisationId: string, id: string): Promise<StaffMemberRow | null> {
    const [row] = await query(tx.manager, staffMember, { organisationId, id });
    return row ?? null;
  }

  /** The people (among `personIds`, or all) `staffId` is key worker of. */
  async heldBy(
    tx: Tx,
    organisationId: string,
    staffId: string,
    personIds: readonly string[] | null,
  ): Promise<string[]> {
    const rows = await query(tx.manager, heldBy, {
      organisationId,
      staffId,
      personIds: personIds === null ? null : [...personIds],
    });
    return rows.map((r) => r.id);
  }

  /**
   * Moves `personIds` from one key worker to another (people the receiver already holds stay
   * theirs, once); returns the people actually moved, by id.
   */
  async move(
    tx: Tx,
    move: {
      organisationId: string;
      fromStaffId: string;
      toStaffId: string;
      personIds: string[];
      by: string;
      at: Date;
    },
  ): Promise<string[]> {
    return (await query(tx.manager, moveAll, move)).map((r) => r.id);
  }

  /** Records a hand-over of `personIds` (insert-only). */
  async recordHandover(
    tx: Tx,
    handover: {
      organisationId: string;
      id: string;
      fromStaffId: string;
      toStaffId: string;
      personIds: string[];
      by: string;
      at: Date;
    },
  ): Promise<void> {
    await query(tx.manager, recordHandover, handover);
  }

  /** Sets or clears the restriction when the person is still at `version`; false otherwise. */
  async setRestricted(
    tx: Tx,
    change: {
      organisationId: string;
      personId: string;
      restricted: boolean;
      version: number;
      by: string;
      at: Date;
    },
  ): Promise<boolean> {
    const rows = await queryReturning(tx.manager, setRestricted, change);
    return rows.length === 1;
  }

  /**
   * Demo data only: the demo caseworker's first identified person (by code) is restricted by the
   * coordinator. Returns the restricted person's id.
   */
  async restrictDemoPerson(
    tx: Tx,
    organisationId: string,
    staff: { caseworkerId: string; coordinatorId: string },
    at: Date,
  ): Promise<string | null> {
    const [restricted] = await queryReturning(tx.manager, demoRestrict, {
      organisationId,
      ...staff,
      at,
    });
    return restricted?.id ?? null;
  }
}
