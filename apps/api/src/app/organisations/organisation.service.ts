import { Injectable } from '@nestjs/common';
import { LOCKDOWN_LIFT_APPROVALS, type OrganisationSettingsView } from '@harbour/domain';
import { LockdownActiveError } from '../../infra/auth/lockdown';
import type { Principal } from '../../infra/auth/principal';
import { Db, type Tx } from '../../infra/database/transaction';
import { DomainError, VersionConflictError } from '../../infra/http/domain-error';
import { Clock } from '../../infra/time/clock';
import { SessionService } from '../../core/sessions/session.service';
import { KeyringService } from '../../core/keyring/keyring.service';
import { LockdownApprovalEntity } from '../../data/organisations/lockdown-approval.entity';
import { OrganisationEntity } from '../../data/organisations/organisation.entity';

@Injectable()
export class OrganisationService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly sessions: SessionService,
    private readonly keyring: KeyringService,
  ) {}

  async settings(principal: Principal): Promise<OrganisationSettingsView> {
    return this.view(this.db.current(), principal);
  }

  async update(
    principal: Principal,
    input: { version: number; name?: string; reportK?: number },
  ): Promise<OrganisationSettingsView> {
    const tx = this.db.current();
    const result = await tx.manager.query<[unknown[], number]>(
      `UPDATE organisation SET name = coalesce($3, name), report_k = coalesce($4, report_k),
              version = version + 1
        WHERE id = $1 AND version = $2 RETURNING id`,
      [principal.organisationId, input.version, input.name?.trim() ?? null, input.reportK ?? null],
    );
    if (result[1] !== 1) throw new VersionConflictError();
    return this.view(tx, principal);
  }

  /**
   * Lockdown (e.g. the office is raided; docs/security.md T25): every session of the organisation ends
   * at once, the caller's included; staff changes waiting for a second admin are cancelled; this
   * instance drops the organisation's keys from memory (the others when they next touch them, or
   * within `LOCKDOWN_SWEEP_MS`). From now on the access guard refuses everything outside the
   * lockdown allow-list and the keyring refuses to load the organisation's keys, until two admins
   * who held the role before now lift it.
   */
  async lockdown(principal: Principal): Promise<OrganisationSettingsView> {
    const tx = this.db.current();
    const now = this.clock.now();
    await tx.manager.query(
      `UPDATE organisation SET lockdown_at = coalesce(lockdown_at, $2), lockdown_by = coalesce(lockdown_by, $3),
              version = version + 1
        WHERE id = $1`,
      [principal.organisationId, now, principal.userId],
    );
    await tx.manager
      .getRepository(LockdownApprovalEntity)
      .delete({ organisationId: principal.organisationId });
    await tx.manager.query(
      `UPDATE staff_change_request SET status = 'cancelled', decided_by = $1, decided_at = $2
        WHERE status = 'pending'`,
      [principal.userId, now],
    );
    await this.sessions.revokeAllInOrganisation(tx, 'lockdown', now);
    this.keyring.forget(principal.organisationId);
    tx.afterCommit(() => {
      this.keyring.forget(principal.organisationId);
    });
    return this.view(tx, principal);
  }

  /**
   * Records this admin's approval to lift the lockdown; the second distinct admin's approval
   * lifts it. Only admins who held the role before the lockdown began may approve (an admin made
   * during it, e.g. through the operator CLI, may not), each under their own step-up (the route).
   */
  async lift(principal: Principal): Promise<OrganisationSettingsView> {
    const tx = this.db.current();
    const organisation = await tx.manager
      .getRepository(OrganisationEntity)
      .findOneByOrFail({ id: principal.organisationId });
    if (organisation.lockdownAt === null) {
      throw new DomainError('conflict', 'The organisation is not in lockdown.');
    }
    const since = organisation.lockdownAt;
    if (!(await this.adminBefore(tx, principal.userId, since))) {
      throw new LockdownActiveError(
        'Only administrators who held the role before the lockdown began can approve lifting it.',
      );
    }
    const now = this.clock.now();
    await tx.manager.query(
      `INSERT INTO lockdown_lift_approval (organisation_id, user_id, approved_at) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING`,
      [principal.organisationId, principal.userId, now],
    );
    // Counted again from the grants, not trusted from the approvals table alone.
    const [{ approvals }] = await tx.manager.query<[{ approvals: number }]>(
      `SELECT count(DISTINCT a.user_id)::int AS approvals
         FROM lockdown_lift_approval a
         JOIN staff_user u ON u.organisation_id = a.organisation_id AND u.id = a.user_id
         JOIN staff_role_grant g ON g.organisation_id = a.organisation_id AND g.user_id = a.user_id
        WHERE u.status = 'active' AND 'admin' = ANY (u.roles)
          AND g.role = 'admin' AND g.granted_at < $1`,
      [since],
    );
    if (approvals >= LOCKDOWN_LIFT_APPROVALS) {
      await tx.manager.query(
        `UPDATE organisation SET lockdown_at = NULL, lockdown_by = NULL, version = version + 1 WHERE id = $1`,
        [principal.organisationId],
      );
      await tx.manager
        .getRepository(LockdownApprovalEntity)
        .delete({ organisationId: principal.organisationId });
    }
    return this.view(tx, principal);
  }

  /** Whether the user is an active admin whose admin role was given before `since`. */
  private async adminBefore(tx: Tx, userId: string, since: Date): Promise<boolean> {
    const rows = await tx.manager.query<unknown[]>(
      `SELECT 1 FROM staff_user u
         JOIN staff_role_grant g ON g.organisation_id = u.organisation_id AND g.user_id = u.id
        WHERE u.id = $1 AND u.status = 'active' AND 'admin' = ANY (u.roles)
          AND g.role = 'admin' AND g.granted_at < $2`,
      [userId, since],
    );
    return rows.length > 0;
  }

  private async view(tx: Tx, principal: Principal): Promise<OrganisationSettingsView> {
    const organisation = await tx.manager
      .getRepository(OrganisationEntity)
      .findOneByOrFail({ id: principal.organisationId });
    const approvals = await tx.manager.query<{ user_id: string; display_name: string }[]>(
      `SELECT a.user_id, u.display_name FROM lockdown_lift_approval a
         JOIN staff_user u ON u.organisation_id = a.organisation_id AND u.id = a.user_id
        ORDER BY a.approved_at`,
    );
    return {
      id: organisation.id,
      name: organisation.name,
      lockdown: {
        active: organisation.lockdownAt !== null,
        since: organisation.lockdownAt?.toISOString() ?? null,
        liftApprovals: approvals.map((a) => ({ userId: a.user_id, displayName: a.display_name })),
        approvalsNeeded: LOCKDOWN_LIFT_APPROVALS,
        callerMayApprove:
          organisation.lockdownAt !== null &&
          (await this.adminBefore(tx, principal.userId, organisation.lockdownAt)),
      },
      reportK: organisation.reportK,
      version: organisation.version,
    };
  }
}
