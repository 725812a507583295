import { Injectable } from '@nestjs/common';
import { LOCKDOWN_LIFT_APPROVALS, type OrganisationSettingsView } from '@harbour/domain';
import { KeyringService } from '../../core/keyring/keyring.service';
import type { SignedInScope } from '../../core/scope/request-scope';
import { SessionService } from '../../core/sessions/session.service';
import { DeviceKeysRepository } from '../../data/devices/device-keys.repository';
import { OrganisationsRepository } from '../../data/organisations/organisations.repository';
import { StaffChangeRequests } from '../../data/staff/staff-change-requests.repository';
import { LockdownActiveError } from '../../infra/auth/lockdown';
import { DomainError, VersionConflictError } from '../../infra/http/domain-error';
import { Clock } from '../../infra/time/clock';

/** The organisation's settings, and its lockdown and the lifting of it. */
@Injectable()
export class OrganisationService {
  constructor(
    private readonly organisations: OrganisationsRepository,
    private readonly changes: StaffChangeRequests,
    private readonly clock: Clock,
    private readonly sessions: SessionService,
    private readonly keyring: KeyringService,
    private readonly deviceKeys: DeviceKeysRepository,
  ) {}

  async settings(scope: SignedInScope): Promise<OrganisationSettingsView> {
    return this.view(scope);
  }

  async update(
    scope: SignedInScope,
    input: { version: number; name?: string; reportK?: number; staleReferralDays?: number | null },
  ): Promise<OrganisationSettingsView> {
    const written = await this.organisations.updateSettings(
      scope.tx,
      scope.organisationId,
      input.version,
      {
        name: input.name?.trim() ?? null,
        reportK: input.reportK ?? null,
        setStaleReferralDays: input.staleReferralDays !== undefined,
        staleReferralDays: input.staleReferralDays ?? null,
      },
    );
    if (!written) throw new VersionConflictError();
    return this.view(scope);
  }

  /**
   * Lockdown (e.g. the office is raided; docs/security.md T25): every session of the
   * organisation ends at once, the caller's included; staff changes waiting for a second admin
   * are cancelled; this instance drops the organisation's keys from memory (the others when they
   * next touch them, or within `LOCKDOWN_SWEEP_MS`). From now on the access guard refuses
   * everything outside the lockdown allow-list and the keyring refuses to load the
   * organisation's keys, until two admins who held the role before now lift it. Every device key
   * released so far is revoked (docs/adr/0012): what phones hold never opens again.
   */
  async lockdown(scope: SignedInScope): Promise<OrganisationSettingsView> {
    const { tx, organisationId, principal } = scope;
    const now = this.clock.now();
    await this.organisations.startLockdown(tx, organisationId, principal.userId, now);
    await this.organisations.clearLiftApprovals(tx, organisationId);
    await this.changes.cancelAllPending(tx, principal.userId, now);
    await this.sessions.revokeAllInOrganisation(tx, 'lockdown', now);
    await this.deviceKeys.revokeOrganisation(tx, organisationId, now);
    this.keyring.forget(organisationId);
    tx.afterCommit(() => {
      this.keyring.forget(organisationId);
    });
    return this.view(scope);
  }

  /**
   * Records this admin's approval to lift the lockdown; the second distinct admin's approval
   * lifts it. Only admins who held the role before the lockdown began may approve (an admin made
   * during it, e.g. through the operator CLI, may not), each under their own step-up (the route).
   */
  async lift(scope: SignedInScope): Promise<OrganisationSettingsView> {
    const { tx, organisationId, principal } = scope;
    const organisation = await this.organisations.get(tx, organisationId);
    if (organisation.lockdownAt === null) {
      throw new DomainError('conflict', 'The organisation is not in lockdown.');
    }
    const since = organisation.lockdownAt;
    if (!(await this.organisations.adminBefore(tx, principal.userId, since))) {
      throw new LockdownActiveError(
        'Only administrators who held the role before the lockdown began can approve lifting it.',
      );
    }
    await this.organisations.approveLift(tx, organisationId, principal.userId, this.clock.now());
    // Counted again from the grants, not trusted from the approvals table alone.
    if ((await this.organisations.liftApprovals(tx, since)) >= LOCKDOWN_LIFT_APPROVALS) {
      await this.organisations.endLockdown(tx, organisationId);
      await this.organisations.clearLiftApprovals(tx, organisationId);
    }
    return this.view(scope);
  }

  private async view(scope: SignedInScope): Promise<OrganisationSettingsView> {
    const { tx, organisationId, principal } = scope;
    const organisation = await this.organisations.get(tx, organisationId);
    const approvals = await this.organisations.liftApprovers(tx);
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
          (await this.organisations.adminBefore(tx, principal.userId, organisation.lockdownAt)),
      },
      reportK: organisation.reportK,
      staleReferralDays: organisation.staleReferralDays,
      version: organisation.version,
    };
  }
}
