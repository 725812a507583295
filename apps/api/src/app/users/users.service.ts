import { Injectable } from '@nestjs/common';
import {
  checkRoleSet,
  isRole,
  uuidv7,
  type CreateUserResponse,
  type Role,
  type StaffStatus,
  type StaffUserView,
} from '@harbour/domain';
import { noteAudit } from '../../infra/audit/audit-notes';
import { LoginThrottle } from '../../infra/auth/login-throttle';
import { PasswordHasher } from '../../infra/auth/password-hasher';
import type { Principal } from '../../infra/auth/principal';
import { assertRecentStepUp } from '../../infra/auth/step-up';
import { Db, type Tx } from '../../infra/database/transaction';
import { NotFoundError, ValidationFailedError } from '../../infra/http/domain-error';
import { Clock } from '../../infra/time/clock';
import { SessionService } from '../auth/session.service';
import { generateOneTimePassword } from './one-time-password';
import { RecoveryCodeEntity } from './recovery-code.entity';
import { StaffUserEntity } from './staff-user.entity';
import { EmailTakenError, LastAdminError, VersionConflictError } from './users.errors';

export interface NewStaffUser {
  readonly email: string;
  readonly displayName: string;
  readonly roles: readonly Role[];
  readonly passwordHash: string;
  readonly mustChangePassword: boolean;
}

/** Staff accounts of the caller's organisation (admin, DESIGN.md §6). Admins never read case content. */
@Injectable()
export class UsersService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionService,
    private readonly throttle: LoginThrottle,
  ) {}

  async list(): Promise<StaffUserView[]> {
    const users = await this.repo(this.db.current()).find({
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    return users.map(toView);
  }

  /** Creates a user with a one-time password (shown once; changed at first sign-in). */
  async create(
    principal: Principal,
    input: { email: string; displayName: string; roles: readonly Role[] },
  ): Promise<CreateUserResponse> {
    assertRoles(input.roles);
    const oneTimePassword = generateOneTimePassword();
    const user = await UsersService.insert(
      this.db.current(),
      principal.organisationId,
      {
        email: input.email,
        displayName: input.displayName,
        roles: input.roles,
        passwordHash: await this.hasher.hash(oneTimePassword),
        mustChangePassword: true,
      },
      this.clock.now(),
    );
    noteAudit({ resourceIds: [user.id] });
    return { user: toView(user), oneTimePassword };
  }

  /** Used by `create`, the operator CLI and the demo seed. */
  static async insert(
    tx: Tx,
    organisationId: string,
    input: NewStaffUser,
    now: Date,
  ): Promise<StaffUserEntity> {
    const repo = tx.manager.getRepository(StaffUserEntity);
    const email = input.email.trim().toLowerCase();
    const taken = await repo.existsBy({ organisationId, email });
    if (taken) throw new EmailTakenError();
    const id = uuidv7();
    await repo.insert({
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
    });
    return repo.findOneByOrFail({ organisationId, id });
  }

  async update(
    principal: Principal,
    id: string,
    input: { version: number; displayName?: string; roles?: readonly Role[]; status?: StaffStatus },
  ): Promise<StaffUserView> {
    const tx = this.db.current();
    const now = this.clock.now();
    const current = await this.find(tx, id);
    if (input.roles !== undefined) {
      assertRoles(input.roles);
      // A role change is a privilege change: it needs a recent step-up (T7).
      assertRecentStepUp(principal, now);
    }
    const roles = input.roles ?? current.roles;
    const status = input.status ?? current.status;
    if (
      current.roles.includes('admin') &&
      current.status === 'active' &&
      (!roles.includes('admin') || status !== 'active')
    ) {
      await this.assertAnotherAdmin(tx, id);
    }
    const result = await tx.manager.query<[unknown[], number]>(
      `UPDATE staff_user SET display_name = $3, roles = $4, status = $5, version = version + 1, updated_at = $6
        WHERE id = $1 AND version = $2 RETURNING id`,
      [
        id,
        input.version,
        input.displayName?.trim() ?? current.displayName,
        [...roles],
        status,
        now,
      ],
    );
    if (result[1] !== 1) throw new VersionConflictError();
    if (status === 'disabled' && current.status !== 'disabled') {
      await this.sessions.revokeAllForUser(tx, id, 'disabled', now);
    }
    return toView(await this.find(tx, id));
  }

  async revokeSessions(id: string): Promise<void> {
    const tx = this.db.current();
    await this.find(tx, id);
    await this.sessions.revokeAllForUser(tx, id, 'admin', this.clock.now());
  }

  /** Removes the user's second factor; they enrol again at next sign-in. */
  async resetMfa(id: string): Promise<void> {
    const tx = this.db.current();
    await this.find(tx, id);
    await tx.manager.query(
      `UPDATE staff_user SET totp_secret = NULL, totp_pending = NULL, totp_last_step = NULL,
              totp_enrolled_at = NULL, version = version + 1 WHERE id = $1`,
      [id],
    );
    await tx.manager.getRepository(RecoveryCodeEntity).delete({ userId: id });
    await this.sessions.revokeAllForUser(tx, id, 'mfa_reset', this.clock.now());
  }

  /** A new one-time password; also lifts a sign-in lock (T3: recovery after 100 failures). */
  async resetPassword(id: string): Promise<{ oneTimePassword: string }> {
    const tx = this.db.current();
    const user = await this.find(tx, id);
    const oneTimePassword = generateOneTimePassword();
    const now = this.clock.now();
    await tx.manager.query(
      `UPDATE staff_user SET password_hash = $2, must_change_password = true, password_changed_at = $3,
              version = version + 1 WHERE id = $1`,
      [id, await this.hasher.hash(oneTimePassword), now],
    );
    await this.sessions.revokeAllForUser(tx, id, 'password_changed', now);
    await this.throttle.reset(user.email);
    return { oneTimePassword };
  }

  private async find(tx: Tx, id: string): Promise<StaffUserEntity> {
    // Row-level security scopes this to the caller's organisation: another tenant's id is not found.
    const user = await this.repo(tx).findOneBy({ id });
    if (user === null) throw new NotFoundError();
    return user;
  }

  private async assertAnotherAdmin(tx: Tx, exceptId: string): Promise<void> {
    const [row] = await tx.manager.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM staff_user WHERE id <> $1 AND status = 'active' AND 'admin' = ANY (roles)`,
      [exceptId],
    );
    if ((row?.n ?? 0) === 0) throw new LastAdminError();
  }

  private repo(tx: Tx) {
    return tx.manager.getRepository(StaffUserEntity);
  }
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
