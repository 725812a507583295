import { Injectable } from '@nestjs/common';
import {
  isRole,
  STAFF_CHANGE_TTL_MS,
  uuidv7,
  type Role,
  type StaffApprovalView,
  type StaffChangeKind,
} from '@harbour/domain';
import type { Tx } from '../../infra/database/transaction';
import { query, statement } from '../sql';
import type { StaffChangeStatus } from './staff-change-request.entity';
import { ChangeConflictError } from '../../infra/http/domain-error';

export interface NewStaffChangeRequest {
  readonly organisationId: string;
  readonly kind: StaffChangeKind;
  readonly targetUserId: string | null;
  /** The new account's (`create_account` only). */
  readonly email: string | null;
  readonly displayName: string | null;
  readonly rolesBefore: readonly Role[];
  readonly rolesAfter: readonly Role[];
  readonly requestedBy: string;
}

export interface StaffChangeRow {
  readonly id: string;
  readonly kind: StaffChangeKind;
  readonly targetUserId: string | null;
  readonly email: string | null;
  readonly displayName: string | null;
  readonly rolesBefore: Role[];
  readonly rolesAfter: Role[];
  readonly requestedBy: string;
  readonly status: StaffChangeStatus;
}

/** The columns that say what a request changes, as every read of one returns them. */
interface ChangeColumns {
  id: string;
  kind: StaffChangeKind;
  target_user_id: string | null;
  email: string | null;
  display_name: string | null;
  roles_before: string[];
  roles_after: string[];
  requested_by: string;
}

interface ViewRow extends ChangeColumns {
  email: string;
  display_name: string;
  requester_name: string;
  requested_at: Date;
  expires_at: Date;
}

const VIEW_SELECT = `
  SELECT r.id, r.kind, r.target_user_id, coalesce(r.email, t.email) AS email,
         coalesce(r.display_name, t.display_name) AS display_name, r.roles_before, r.roles_after,
         r.requested_by, q.display_name AS requester_name, r.requested_at, r.expires_at
    FROM staff_change_request r
    JOIN staff_user q ON q.organisation_id = r.organisation_id AND q.id = r.requested_by
    LEFT JOIN staff_user t ON t.organisation_id = r.organisation_id AND t.id = r.target_user_id`;

const cancelAllPending = statement<{ by: string; at: Date }>(
  'staff.cancelPendingChanges',
  `UPDATE staff_change_request SET status = 'cancelled', decided_by = :by, decided_at = :at
 WHERE status = 'pending'`,
);

const insertRequest = statement<{
  organisationId: string;
  id: string;
  kind: string;
  targetUserId: string | null;
  email: string | null;
  displayName: string | null;
  rolesBefore: string[];
  rolesAfter: string[];
  requestedBy: string;
  now: Date;
  expiresAt: Date;
}>(
  'staff.insertChangeRequest',
  `INSERT INTO staff_change_request (organisation_id, id, kind, target_user_id, email,
                                  display_name, roles_before, roles_after, requested_by,
                                  requested_at, expires_at, status)
VALUES (:organisationId, :id, :kind, :targetUserId, :email, :displayName, :rolesBefore,
        :rolesAfter, :requestedBy, :now, :expiresAt, 'pending')`,
);

const pendingRequests = statement<{ now: Date }, ViewRow>(
  'staff.pendingChangeRequests',
  `${VIEW_SELECT}
 WHERE r.status = 'pending' AND r.expires_at > :now ORDER BY r.requested_at, r.id`,
);

const requestById = statement<{ id: string }, ViewRow>(
  'staff.changeRequest',
  `${VIEW_SELECT}
 WHERE r.id = :id`,
);

const expireRequests = statement<{ now: Date }>(
  'staff.expireChangeRequests',
  `UPDATE staff_change_request SET status = 'expired'
 WHERE status = 'pending' AND expires_at <= :now`,
);

const lockRequest = statement<{ id: string }, ChangeColumns & { status: StaffChangeStatus }>(
  'staff.lockChangeRequest',
  `SELECT id, kind, target_user_id, email, display_name, roles_before, roles_after, requested_by,
       status
  FROM staff_change_request WHERE id = :id FOR UPDATE`,
);

const decideRequest = statement<{
  id: string;
  status: string;
  decidedBy: string;
  now: Date;
  targetUserId: string | null;
}>(
  'staff.decideChangeRequest',
  `UPDATE staff_change_request
   SET status = :status, decided_by = :decidedBy, decided_at = :now,
       target_user_id = coalesce(target_user_id, :targetUserId)
 WHERE id = :id AND status = 'pending'`,
);

/**
 * Staff changes waiting for a second admin (`staff_change_request`, ADR 0008). Row-level
 * security scopes every statement to the caller's organisation.
 */
@Injectable()
export class StaffChangeRequests {
  /** Records a request; one pending request per account and kind (per e-mail for new accounts). */
  async create(tx: Tx, input: NewStaffChangeRequest, now: Date): Promise<StaffApprovalView> {
    await this.expire(tx, now);
    const id = uuidv7();
    try {
      await query(tx.manager, insertRequest, {
        organisationId: input.organisationId,
        id,
        kind: input.kind,
        targetUserId: input.targetUserId,
        email: input.email,
        displayName: input.displayName,
        rolesBefore: [...input.rolesBefore],
        rolesAfter: [...input.rolesAfter],
        requestedBy: input.requestedBy,
        now,
        expiresAt: new Date(now.getTime() + STAFF_CHANGE_TTL_MS),
      });
    } catch (error) {
      if ((error as { driverError?: { code?: string } }).driverError?.code === '23505') {
        throw new ChangeConflictError(
          'The same change is already waiting for a second administrator.',
        );
      }
      throw error;
    }
    return (await this.view(tx, id))!;
  }

  /** Pending requests that have not expired, oldest first. */
  async pending(tx: Tx, now: Date): Promise<StaffApprovalView[]> {
    const rows = await query(tx.manager, pendingRequests, { now });
    return rows.map(toView);
  }

  async view(tx: Tx, id: string): Promise<StaffApprovalView | null> {
    const [row] = await query(tx.manager, requestById, { id });
    return row === undefined ? null : toView(row);
  }

  /** Every pending change is cancelled (a lockdown began). */
  async cancelAllPending(tx: Tx, by: string, at: Date): Promise<void> {
    await query(tx.manager, cancelAllPending, { by, at });
  }

  /** Marks requests past their time as expired (only ever on a state-changing request). */
  async expire(tx: Tx, now: Date): Promise<void> {
    await query(tx.manager, expireRequests, { now });
  }

  /** The request, locked until the end of the transaction (one decision at a time). */
  async lock(tx: Tx, id: string): Promise<StaffChangeRow | null> {
    const [row] = await query(tx.manager, lockRequest, { id });
    if (row === undefined) return null;
    return { ...changeOf(row), requestedBy: row.requested_by, status: row.status };
  }

  /** Records the decision on a locked, pending request. */
  async decide(
    tx: Tx,
    id: string,
    status: 'applied' | 'cancelled',
    decidedBy: string,
    now: Date,
    targetUserId: string | null,
  ): Promise<void> {
    await query(tx.manager, decideRequest, { id, status, decidedBy, now, targetUserId });
  }
}

/** What a request changes, from its row. */
function changeOf(row: ChangeColumns) {
  return {
    id: row.id,
    kind: row.kind,
    targetUserId: row.target_user_id,
    email: row.email,
    displayName: row.display_name,
    rolesBefore: row.roles_before.filter(isRole),
    rolesAfter: row.roles_after.filter(isRole),
  };
}

function toView(row: ViewRow): StaffApprovalView {
  return {
    ...changeOf(row),
    email: row.email,
    displayName: row.display_name,
    requestedBy: { id: row.requested_by, displayName: row.requester_name },
    requestedAt: new Date(row.requested_at).toISOString(),
    expiresAt: new Date(row.expires_at).toISOString(),
  };
}
