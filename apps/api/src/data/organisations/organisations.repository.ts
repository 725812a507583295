import { Injectable } from '@nestjs/common';
import type { Tx } from '../../infra/database/transaction';
import { query, statement } from '../sql';
import { LockdownApprovalEntity } from './lockdown-approval.entity';
import { OrganisationEntity } from './organisation.entity';

const updateSettings = statement<{
  id: string;
  version: number;
  name: string | null;
  reportK: number | null;
  setStaleReferralDays: boolean;
  staleReferralDays: number | null;
}>(
  'organisations.updateSettings',
  `UPDATE organisation SET name = coalesce(:name, name), report_k = coalesce(:reportK, report_k),
       stale_referral_days = CASE WHEN :setStaleReferralDays THEN :staleReferralDays::smallint
                                  ELSE stale_referral_days END,
       version = version + 1
 WHERE id = :id AND version = :version RETURNING id`,
);

const startLockdown = statement<{ id: string; at: Date; by: string }>(
  'organisations.startLockdown',
  `UPDATE organisation SET lockdown_at = coalesce(lockdown_at, :at),
       lockdown_by = coalesce(lockdown_by, :by), version = version + 1
 WHERE id = :id`,
);

const endLockdown = statement<{ id: string }>(
  'organisations.endLockdown',
  `UPDATE organisation SET lockdown_at = NULL, lockdown_by = NULL, version = version + 1
 WHERE id = :id`,
);

const approveLift = statement<{ organisationId: string; userId: string; at: Date }>(
  'organisations.approveLift',
  `INSERT INTO lockdown_lift_approval (organisation_id, user_id, approved_at)
VALUES (:organisationId, :userId, :at)
ON CONFLICT DO NOTHING`,
);

/** Approvals by admins who held the role before `since` and hold it still (from the grants). */
const liftApprovals = statement<{ since: Date }, { approvals: number }>(
  'organisations.liftApprovals',
  `SELECT count(DISTINCT a.user_id)::int AS approvals
  FROM lockdown_lift_approval a
  JOIN staff_user u ON u.organisation_id = a.organisation_id AND u.id = a.user_id
  JOIN staff_role_grant g ON g.organisation_id = a.organisation_id AND g.user_id = a.user_id
 WHERE u.status = 'active' AND 'admin' = ANY (u.roles)
   AND g.role = 'admin' AND g.granted_at < :since`,
);

const adminBefore = statement<{ userId: string; since: Date }>(
  'organisations.adminBefore',
  `SELECT 1 FROM staff_user u
  JOIN staff_role_grant g ON g.organisation_id = u.organisation_id AND g.user_id = u.id
 WHERE u.id = :userId AND u.status = 'active' AND 'admin' = ANY (u.roles)
   AND g.role = 'admin' AND g.granted_at < :since`,
);

const approvers = statement<Record<string, never>, { user_id: string; display_name: string }>(
  'organisations.liftApprovers',
  `SELECT a.user_id, u.display_name FROM lockdown_lift_approval a
  JOIN staff_user u ON u.organisation_id = a.organisation_id AND u.id = a.user_id
 ORDER BY a.approved_at`,
);

/** Organisations (the tenants), their settings and lockdown state. */
@Injectable()
export class OrganisationsRepository {
  /** A new organisation, not in lockdown; the transaction's tenant must be its id. */
  async insert(tx: Tx, id: string, name: string): Promise<void> {
    await tx.manager
      .getRepository(OrganisationEntity)
      .insert({ id, name, lockdownAt: null, lockdownBy: null });
  }

  get(tx: Tx, id: string): Promise<OrganisationEntity> {
    return tx.manager.getRepository(OrganisationEntity).findOneByOrFail({ id });
  }

  /** Writes the settings given when still at `version`; false when another write came first. */
  async updateSettings(
    tx: Tx,
    id: string,
    version: number,
    settings: {
      name: string | null;
      reportK: number | null;
      /** Whether to write `staleReferralDays` (null switches automatic follow-ups off). */
      setStaleReferralDays: boolean;
      staleReferralDays: number | null;
    },
  ): Promise<boolean> {
    // An UPDATE … RETURNING answers [rows, count] through TypeORM's postgres driver.
    const result = (await query(tx.manager, updateSettings, {
      id,
      version,
      ...settings,
    })) as unknown as [unknown[], number];
    return result[1] === 1;
  }

  async startLockdown(tx: Tx, id: string, by: string, at: Date): Promise<void> {
    await query(tx.manager, startLockdown, { id, at, by });
  }

  async endLockdown(tx: Tx, id: string): Promise<void> {
    await query(tx.manager, endLockdown, { id });
  }

  async approveLift(tx: Tx, organisationId: string, userId: string, at: Date): Promise<void> {
    await query(tx.manager, approveLift, { organisationId, userId, at });
  }

  async clearLiftApprovals(tx: Tx, organisationId: string): Promise<void> {
    await tx.manager.getRepository(LockdownApprovalEntity).delete({ organisationId });
  }

  async liftApprovals(tx: Tx, since: Date): Promise<number> {
    const [row] = await query(tx.manager, liftApprovals, { since });
    return row?.approvals ?? 0;
  }

  /** Whether the user is an active admin whose admin role was given before `since`. */
  async adminBefore(tx: Tx, userId: string, since: Date): Promise<boolean> {
    return (await query(tx.manager, adminBefore, { userId, since })).length > 0;
  }

  /** Who approved lifting the lockdown so far, in order. */
  liftApprovers(tx: Tx): Promise<{ user_id: string; display_name: string }[]> {
    return query(tx.manager, approvers, {});
  }
}
