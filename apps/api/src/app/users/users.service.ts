import { Injectable } from '@nestjs/common';
import {
  checkRoleSet,
  guardedRolesGranted,
  holdsGuardedRole,
  isRole,
  sameRoles,
  uuidv7,
  type CreateUserResponse,
  type ResetMfaResponse,
  type ResetPasswordResponse,
  type Role,
  type StaffApprovalView,
  type StaffChangeKind,
  type StaffStatus,
  type StaffUserView,
  type UpdateUserResponse,
} from '@harbour/domain';
import { LoginThrottle } from '../../core/sessions/login-throttle';
import { PasswordHasher } from '../../infra/auth/password-hasher';
import type { RequestScope, SignedInScope } from '../../core/scope/request-scope';
import { assertRecentStepUp } from '../../infra/auth/step-up';
import type { Tx } from '../../infra/database/transaction';
import { NotFoundError, ValidationFailedError } from '../../infra/http/domain-error';
import { Clock } from '../../infra/time/clock';
import { SessionService } from '../../core/sessions/session.service';
import { generateOneTimePassword } from './one-time-password';
import { RecoveryCodesRepository } from '../../data/staff/recovery-codes.repository';
import { DeviceKeysRepository } from '../../data/devices/device-keys.repository';
import { StaffChangeRequests } from '../../data/staff/staff-change-requests.repository';
import { recordRoleGrants } from '../../data/staff/staff-role-grants';
import { roleChangeFields } from './staff-roles';
import type { StaffUserEntity } from '../../data/staff/staff-user.entity';
import { insertStaffUser, StaffUsersRepository } from '../../data/staff/staff-users.repository';
import {
  ChangeConflictError,
  EmailTakenError,
  LastAdminError,
  OwnRoleChangeError,
  VersionConflictError,
} from '../../core/errors/staff.errors';

export interface NewStaffUser {
  readonly email: string;
  readonly displayName: string;
  readonly roles: readonly Role[];
  readonly passwordHash: string;
  readonly mustChangePassword: boolean;
}

/**
 * Staff accounts of the caller's organisation (admin, docs/design.md §6). Admins never read case
 * content, and no admin reaches it alone (separation of duties, ADR 0008): an admin cannot change
 * their own roles; granting a guarded role (caseworker, coordinator, admin) — a new account
 * included — and resetting the password or second factor of an account holding one only record
 * a request, which a second admin approves (`StaffApprovalsService`).
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly clock: Clock,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionService,
    private readonly throttle: LoginThrottle,
    private readonly requests: StaffChangeRequests,
    private readonly staff: StaffUsersRepository,
    private readonly recoveryCodes: RecoveryCodesRepository,
    private readonly deviceKeys: DeviceKeysRepository,
  ) {}

  async list(scope: SignedInScope): Promise<StaffUserView[]> {
    const users = await this.staff.list(scope.tx);
    return users.map(toView);
  }

  /**
   * A new account with a one-time password (shown once; changed at first sign-in). An account
   * with a guarded role is only requested: it does not exist until a second admin approves.
   */
  async create(
    scope: SignedInScope,
    input: { email: string; displayName: string; roles: readonly Role[] },
  ): Promise<CreateUserResponse> {
    assertRoles(input.roles);
    const { tx, principal } = scope;
    const now = this.clock.now();
    if (guardedRolesGranted([], input.roles).length > 0) {
      const email = input.email.trim().toLowerCase();
      if (await this.staff.emailTaken(tx, email)) throw new EmailTakenError();
      const pending = await this.requests.create(
        tx,
        {
          organisationId: principal.organisationId,
          kind: 'create_account',
          targetUserId: null,
          email,
          displayName: input.displayName.trim(),
          rolesBefore: [],
          rolesAfter: input.roles,
          requestedBy: principal.userId,
        },
        now,
      );
      noteRequest(scope, pending);
      return { user: null, oneTimePassword: null, pending };
    }
    const created = await this.createNow(tx, principal.organisationId, input, now);
    scope.note({ resourceIds: [created.user.id], fields: roleChangeFields([], input.roles) });
    return { ...created, pending: null };
  }

  /**
   * Creates the account now, with a one-time password: for accounts without a guarded role, and
   * for an approved request.
   */
  async createNow(
    tx: Tx,
    organisationId: string,
    input: { email: string; displayName: string; roles: readonly Role[] },
    now: Date,
  ): Promise<{ user: StaffUserView; oneTimePassword: string }> {
    const oneTimePassword = generateOneTimePassword();
    const user = await UsersService.insert(
      tx,
      organisationId,
      {
        email: input.email,
        displayName: input.displayName,
        roles: input.roles,
        passwordHash: await this.hasher.hash(oneTimePassword),
        mustChangePassword: true,
      },
      now,
    );
    return { user: toView(user), oneTimePassword };
  }

  /**
   * Inserts an account directly, with its roles, whatever they are. Used by `createNow` and by
   * the two bootstrap paths that run before any second admin can exist and outside any request:
   * the operator CLI (`harbour create-admin`, a new organisation's first admin) and the
   * development demo seed. No route reaches it with a guarded role except through an approved
   * request (`users-bootstrap.spec.ts` checks who calls it).
   */
  static async insert(
    tx: Tx,
    organisationId: string,
    input: NewStaffUser,
    now: Date,
  ): Promise<StaffUserEntity> {
    const email = input.email.trim().toLowerCase();
    const id = uuidv7();
    const user = await insertStaffUser(tx, {
      organisationId,
      id,
      email,
      displayName: input.displayName.trim(),
      passwordHash: input.passwordHash,
      passwordChangedAt: now,
      mustChangePassword: input.mustChangePassword,
      roles: [...input.roles],
      status: 'active',
      totpSecret: null,
      totpPending: null,
      totpLastStep: null,
      totpEnrolledAt: null,
      lastSignInAt: null,
      language: null,
    });
    if (user === null) throw new EmailTakenError();
    await recordRoleGrants(tx, organisationId, id, input.roles, now);
    return user;
  }

  /**
   * Renames, enables or disables an account, and changes its roles. Nobody changes their own
   * roles. A change that grants a guarded role waits for a second admin (the rest of the edit
   * applies now); the access event records the role sets before and after.
   */
  async update(
    scope: SignedInScope,
    id: string,
    input: { version: number; displayName?: string; roles?: readonly Role[]; status?: StaffStatus },
  ): Promise<UpdateUserResponse> {
    const { tx, principal } = scope;
    const now = this.clock.now();
    const current = await this.find(tx, id);
    const before = current.roles.filter(isRole);
    let roles: readonly Role[] = before;
    let requested: readonly Role[] | null = null;
    if (input.roles !== undefined && !sameRoles(before, input.roles)) {
      assertRoles(input.roles);
      if (id === principal.userId) {
        scope.note({
          action: 'staff.own_roles_refused',
          fields: roleChangeFields(before, input.roles),
        });
        throw new OwnRoleChangeError();
      }
      // A role change is a privilege change: it needs a recent step-up (T7).
      assertRecentStepUp(principal, now);
      if (guardedRolesGranted(before, input.roles).length > 0) requested = input.roles;
      else roles = input.roles;
    } else if (input.roles !== undefined) {
      assertRoles(input.roles);
      assertRecentStepUp(principal, now);
    }
    const status = input.status ?? current.status;
    if (
      current.roles.includes('admin') &&
      current.status === 'active' &&
      (!roles.includes('admin') || status !== 'active')
    ) {
      await this.assertAnotherAdmin(tx, id);
    }
    const written = await this.staff.updateAccount(
      tx,
      id,
      input.version,
      { displayName: input.displayName?.trim() ?? current.displayName, roles, status },
      now,
    );
    if (!written) throw new VersionConflictError();
    if (!sameRoles(before, roles)) {
      await recordRoleGrants(tx, current.organisationId, id, roles, now);
      scope.note({ fields: roleChangeFields(before, roles) });
    }
    if (status === 'disabled' && current.status !== 'disabled') {
      await this.sessions.revokeAllForUser(tx, id, 'disabled', now);
    }
    let pending: StaffApprovalView | null = null;
    if (requested !== null) {
      pending = await this.requests.create(
        tx,
        {
          organisationId: current.organisationId,
          kind: 'grant_roles',
          targetUserId: id,
          email: null,
          displayName: null,
          rolesBefore: before,
          rolesAfter: requested,
          requestedBy: principal.userId,
        },
        now,
      );
      noteRequest(scope, pending);
    }
    return { ...toView(await this.find(tx, id)), pending };
  }

  /**
   * Sets the roles an approved request asked for. The account must still hold the roles the
   * request was made against (otherwise the approver would approve something else).
   */
  async applyRoles(
    tx: Tx,
    id: string,
    expectedBefore: readonly Role[],
    after: readonly Role[],
    now: Date,
  ): Promise<StaffUserEntity> {
    const current = await this.find(tx, id);
    if (!sameRoles(current.roles.filter(isRole), expectedBefore)) {
      throw new ChangeConflictError(
        "The account's roles have changed since this was asked for. Ask again.",
      );
    }
    if (
      current.roles.includes('admin') &&
      current.status === 'active' &&
      !after.includes('admin')
    ) {
      await this.assertAnotherAdmin(tx, id);
    }
    await this.staff.setRoles(tx, id, after, now);
    await recordRoleGrants(tx, current.organisationId, id, after, now);
    return this.find(tx, id);
  }

  async revokeSessions(scope: SignedInScope, id: string): Promise<void> {
    const { tx } = scope;
    await this.find(tx, id);
    await this.sessions.revokeAllForUser(tx, id, 'admin', this.clock.now());
  }

  /**
   * Removes the user's second factor; they enrol again at next sign-in. For an account holding a
   * guarded role, only a request for a second admin.
   */
  async resetMfa(scope: SignedInScope, id: string): Promise<ResetMfaResponse> {
    const { tx } = scope;
    const user = await this.find(tx, id);
    const pending = await this.requestResetIfGuarded(scope, user, 'reset_mfa');
    if (pending !== null) return { pending };
    await this.applyMfaReset(tx, user);
    scope.note({ fields: roleChangeFields(user.roles.filter(isRole), user.roles.filter(isRole)) });
    return { pending: null };
  }

  async applyMfaReset(tx: Tx, user: StaffUserEntity): Promise<void> {
    await this.staff.clearMfa(tx, user.id);
    await this.recoveryCodes.deleteForUser(tx, user.organisationId, user.id);
    await this.sessions.revokeAllForUser(tx, user.id, 'mfa_reset', this.clock.now());
    await this.throttle.resetCodes(user.id);
  }

  /**
   * A new one-time password; also lifts a sign-in lock (T3: recovery after 100 failures). For
   * an account holding a guarded role, only a request for a second admin.
   */
  async resetPassword(scope: SignedInScope, id: string): Promise<ResetPasswordResponse> {
    const { tx } = scope;
    const user = await this.find(tx, id);
    const pending = await this.requestResetIfGuarded(scope, user, 'reset_password');
    if (pending !== null) return { oneTimePassword: null, pending };
    const oneTimePassword = await this.applyPasswordReset(tx, user);
    scope.note({ fields: roleChangeFields(user.roles.filter(isRole), user.roles.filter(isRole)) });
    return { oneTimePassword, pending: null };
  }

  async applyPasswordReset(tx: Tx, user: StaffUserEntity): Promise<string> {
    const oneTimePassword = generateOneTimePassword();
    const now = this.clock.now();
    await this.staff.resetPassword(tx, user.id, await this.hasher.hash(oneTimePassword), now);
    await this.sessions.revokeAllForUser(tx, user.id, 'password_changed', now);
    // Whoever had the account may hold one of its devices: what they hold never opens again.
    await this.deviceKeys.revokeUser(tx, user.organisationId, user.id, now);
    await this.throttle.reset(user.email, user.id);
    return oneTimePassword;
  }

  async find(tx: Tx, id: string): Promise<StaffUserEntity> {
    // Row-level security scopes this to the caller's organisation: another tenant's id is not found.
    const user = await this.staff.find(tx, id);
    if (user === null) throw new NotFoundError();
    return user;
  }

  /** A reset of an account holding a guarded role becomes a request; null otherwise. */
  private async requestResetIfGuarded(
    scope: SignedInScope,
    user: StaffUserEntity,
    kind: Extract<StaffChangeKind, 'reset_password' | 'reset_mfa'>,
  ): Promise<StaffApprovalView | null> {
    const roles = user.roles.filter(isRole);
    if (!holdsGuardedRole(roles)) return null;
    const pending = await this.requests.create(
      scope.tx,
      {
        organisationId: user.organisationId,
        kind,
        targetUserId: user.id,
        email: null,
        displayName: null,
        rolesBefore: roles,
        rolesAfter: roles,
        requestedBy: scope.principal.userId,
      },
      this.clock.now(),
    );
    noteRequest(scope, pending);
    return pending;
  }

  private async assertAnotherAdmin(tx: Tx, exceptId: string): Promise<void> {
    if ((await this.staff.otherActiveAdmins(tx, exceptId)) === 0) throw new LastAdminError();
  }
}

/** The access event of a route whose change now waits for a second admin. */
export function noteRequest(scope: RequestScope, request: StaffApprovalView): void {
  scope.note({
    action: 'staff.change_requested',
    resourceIds: [request.id, ...(request.targetUserId === null ? [] : [request.targetUserId])],
    fields: [
      `change:${request.kind}`,
      ...roleChangeFields(request.rolesBefore, request.rolesAfter),
    ],
  });
}

function assertRoles(roles: readonly Role[]): void {
  const problem = checkRoleSet(roles);
  if (problem !== null) throw new ValidationFailedError([{ path: 'roles', reason: problem }]);
}

export function toView(user: StaffUserEntity): StaffUserView {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    roles: user.roles.filter(isRole),
    status: user.status === 'disabled' ? 'disabled' : 'active',
    mfaEnrolled: user.totpSecret !== null,
    mustChangePassword: user.mustChangePassword,
    lastSignInAt: user.lastSignInAt?.toISOString() ?? null,
    createdAt: user.createdAt.toISOString(),
    version: user.version,
  };
}
