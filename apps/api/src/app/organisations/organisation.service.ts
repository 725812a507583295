import { Injectable } from '@nestjs/common';
import { uuidv7, type OrganisationSettingsView } from '@harbour/domain';
import type { Principal } from '../../infra/auth/principal';
import { Db, type Tx } from '../../infra/database/transaction';
import { DomainError } from '../../infra/http/domain-error';
import { Clock } from '../../infra/time/clock';
import { SessionService } from '../auth/session.service';
import { KeyringService } from '../keyring/keyring.service';
import { VersionConflictError } from '../users/users.errors';
import { LockdownApprovalEntity } from './lockdown-approval.entity';
import { OrganisationEntity } from './organisation.entity';

/** Distinct admins needed to lift a lockdown. */
export const LOCKDOWN_LIFT_APPROVALS = 2;

@Injectable()
export class OrganisationService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly sessions: SessionService,
    private readonly keyring: KeyringService,
  ) {}

  /**
   * Creates an organisation with its keyring, inside a transaction whose tenant is the new
   * organisation (row-level security allows nothing else). Operator CLI and demo seed only.
   */
  async create(name: string): Promise<string> {
    const id = uuidv7();
    await this.db.transaction(id, async (tx) => {
      await tx.manager
        .getRepository(OrganisationEntity)
        .insert({ id, name: name.trim(), lockdownAt: null, lockdownBy: null });
      await this.keyring.provision(tx, id);
    });
    return id;
  }

  async settings(principal: Principal): Promise<OrganisationSettingsView> {
    return this.view(this.db.current(), principal.organisationId);
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
    return this.view(tx, principal.organisationId);
  }

  /**
   * Lockdown (e.g. the office is raided): every session of the organisation ends at once,
   * including the caller's, and reveals stay disabled until two admins lift it.
   */
  async lockdown(principal: Principal): Promise<OrganisationSettingsView> {
    const tx = this.db.current();
    const now = this.clock.now();
    await tx.manager.query(
      `UPDATE organisation SET lockdown_at = coalesce(lockdown_at, $2), lockdown_by = coalesce(lockdown_by, $3)
        WHERE id = $1`,
      [principal.organisationId, now, principal.userId],
    );
    await tx.manager
      .getRepository(LockdownApprovalEntity)
      .delete({ organisationId: principal.organisationId });
    await this.sessions.revokeAllInOrganisation(tx, 'lockdown', now);
    return this.view(tx, principal.organisationId);
  }

  /** Records this admin's approval; the second distinct admin's approval lifts the lockdown. */
  async lift(principal: Principal): Promise<OrganisationSettingsView> {
    const tx = this.db.current();
    const organisation = await tx.manager
      .getRepository(OrganisationEntity)
      .findOneByOrFail({ id: principal.organisationId });
    if (organisation.lockdownAt === null) {
      throw new DomainError('conflict', 'The organisation is not in lockdown.');
    }
    const now = this.clock.now();
    await tx.manager.query(
      `INSERT INTO lockdown_lift_approval (organisation_id, user_id, approved_at) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING`,
      [principal.organisationId, principal.userId, now],
    );
    const approvals = await tx.manager.getRepository(LockdownApprovalEntity).countBy({
      organisationId: principal.organisationId,
    });
    if (approvals >= LOCKDOWN_LIFT_APPROVALS) {
      await tx.manager.query(
        `UPDATE organisation SET lockdown_at = NULL, lockdown_by = NULL, version = version + 1 WHERE id = $1`,
        [principal.organisationId],
      );
      await tx.manager
        .getRepository(LockdownApprovalEntity)
        .delete({ organisationId: principal.organisationId });
    }
    return this.view(tx, principal.organisationId);
  }

  private async view(tx: Tx, organisationId: string): Promise<OrganisationSettingsView> {
    const organisation = await tx.manager
      .getRepository(OrganisationEntity)
      .findOneByOrFail({ id: organisationId });
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
      },
      reportK: organisation.reportK,
      version: organisation.version,
    };
  }
}
