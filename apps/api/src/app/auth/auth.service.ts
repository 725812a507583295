import { Inject, Injectable } from '@nestjs/common';
import {
  checkPassword,
  isRole,
  type LoginResponse,
  type MfaConfirmResponse,
  type MfaEnrolment,
  type MfaVerifyResponse,
  type SessionInfo,
  type StepUpResponse,
  STEP_UP_MS,
} from '@harbour/domain';
import {
  encodeBase32,
  generateRecoveryCodes,
  generateTotpSecret,
  hashRecoveryCode,
  otpauthUri,
  verifyTotp,
} from '@harbour/crypto';
import { toString as qrToString } from 'qrcode';
import { accessEventOf, AUDIT_WRITER, type AuditWriter } from '../../infra/audit/audit-writer';
import { LockdownActiveError } from '../../infra/auth/lockdown';
import { LoginThrottle } from '../../core/sessions/login-throttle';
import { PasswordHasher } from '../../infra/auth/password-hasher';
import type { Principal } from '../../infra/auth/principal';
import type { RequestScope, SignedInScope } from '../../core/scope/request-scope';
import { loadCommonPasswords } from '../../infra/auth/common-passwords';
import { Db, type Tx } from '../../infra/database/transaction';
import { UnauthenticatedError, ValidationFailedError } from '../../infra/http/domain-error';
import { Clock } from '../../infra/time/clock';
import { KeyringService, type StaffSecretPlace } from '../../core/keyring/keyring.service';
import { OrganisationsRepository } from '../../data/organisations/organisations.repository';
import { RecoveryCodesRepository } from '../../data/staff/recovery-codes.repository';
import type { StaffUserEntity } from '../../data/staff/staff-user.entity';
import { StaffUsersRepository } from '../../data/staff/staff-users.repository';
import { InvalidCodeError, InvalidCredentialsError, PasswordRejectedError } from './auth.errors';
import { SessionService, type IssuedSession } from '../../core/sessions/session.service';

const LOCKDOWN_SIGN_IN =
  'Your organisation is in lockdown: only administrators can sign in until two of them lift it.';

/**
 * Wrong second-factor codes allowed in one sign-in before it must start again. Across sign-ins
 * and step-ups, wrong codes also count per account (`LoginThrottle.codeKey`): delay from the
 * fifth, locked at the hundredth, like passwords.
 */
export const MAX_MFA_FAILURES = 5;
export const RECOVERY_CODE_COUNT = 10;

export interface PasswordCandidate {
  readonly organisationId: string;
  readonly userId: string;
}

/** Sign-in, second factor, step-up, password change and sign-out (docs/design.md §6). */
@Injectable()
export class AuthService {
  private readonly isCommonPassword = loadCommonPasswords();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly sessions: SessionService,
    private readonly keyring: KeyringService,
    private readonly staff: StaffUsersRepository,
    private readonly organisations: OrganisationsRepository,
    private readonly recoveryCodes: RecoveryCodesRepository,
    @Inject(AUDIT_WRITER) private readonly audit: AuditWriter,
  ) {}

  /**
   * The password step (docs/security.md T1, T3, T4). Throttling by address and by account comes
   * first; an unknown account costs the same argon2 verification as a known one and answers
   * the same `invalid_credentials`.
   */
  async authenticatePassword(
    email: string,
    password: string,
    ip: string,
  ): Promise<PasswordCandidate> {
    const now = this.clock.now();
    await this.throttle.hitAddress(ip, now);
    const accountKey = LoginThrottle.accountKey(email);
    await this.throttle.checkAccount(accountKey, now);

    const candidates = await this.db.transaction(
      null,
      async (tx) => await this.staff.loginCandidates(tx, email.trim()),
    );
    if (candidates.length === 0) {
      await this.hasher.dummyVerify(password);
    } else {
      for (const candidate of candidates) {
        if (await this.hasher.verify(candidate.password_hash, password)) {
          await this.throttle.recordSuccess(accountKey);
          return { organisationId: candidate.organisation_id, userId: candidate.user_id };
        }
      }
    }
    await this.throttle.recordFailure(accountKey, this.clock.now());
    // A failed sign-in on a real account is an access event in that account's organisation
    // (committed on its own: the request fails). Unknown addresses belong to no organisation.
    for (const candidate of candidates) {
      await this.audit.appendSeparately(
        accessEventOf({
          organisationId: candidate.organisation_id,
          actorId: candidate.user_id,
          action: 'auth.sign_in',
          resourceType: 'session',
          outcome: 'denied',
        }),
      );
    }
    throw new InvalidCredentialsError();
  }

  /** After the password: a new session (never the one a cookie may already name), stage mfa or enrol. */
  async startSignIn(
    scope: RequestScope,
    candidate: PasswordCandidate,
  ): Promise<{ response: LoginResponse; session: IssuedSession }> {
    const { tx } = scope;
    await tx.setTenant(candidate.organisationId);
    const user = await this.user(tx, candidate.userId);
    const roles = user.roles.filter(isRole);
    scope.note({
      organisationId: candidate.organisationId,
      actorId: candidate.userId,
      actorRoles: roles,
    });
    const stage = user.totpSecret === null ? 'enrol' : 'mfa';
    if (stage === 'enrol' && !roles.includes('admin')) {
      // In lockdown only admins sign in (T25). Someone with a second factor learns of it only
      // after the right code (verifyMfa); without one there is no code to wait for.
      const organisation = await this.organisations.get(tx, candidate.organisationId);
      if (organisation.lockdownAt !== null) throw new LockdownActiveError(LOCKDOWN_SIGN_IN);
    }
    const session = await this.sessions.issue(
      tx,
      candidate.organisationId,
      candidate.userId,
      stage,
      this.clock.now(),
    );
    scope.note({ resourceIds: [session.sessionId] });
    return { response: { stage }, session };
  }

  /** The second factor: a TOTP code (each accepted once) or an unused recovery code. */
  async verifyMfa(
    scope: SignedInScope,
    input: { code?: string; recoveryCode?: string },
  ): Promise<{ response: MfaVerifyResponse; session: IssuedSession }> {
    if ((input.code === undefined) === (input.recoveryCode === undefined)) {
      throw new ValidationFailedError([
        { path: 'code', reason: 'exactly_one_of_code_or_recoveryCode' },
        { path: 'recoveryCode', reason: 'exactly_one_of_code_or_recoveryCode' },
      ]);
    }
    const { tx, principal } = scope;
    const user = await this.user(tx, principal.userId);
    const now = this.clock.now();
    // Codes are throttled per account, across sign-ins and step-ups (T3, T5).
    const codeKey = LoginThrottle.codeKey(user.id);
    await this.throttle.checkAccount(codeKey, now);
    let ok = false;
    if (input.code !== undefined && user.totpSecret !== null) {
      ok = await this.acceptTotp(tx, user, 'totp_secret', user.totpSecret, input.code, now);
    } else if (input.recoveryCode !== undefined) {
      ok = await this.useRecoveryCode(tx, principal, input.recoveryCode, now);
    }
    if (!ok) {
      await this.throttle.recordFailure(codeKey, now);
      await this.mfaFailed(principal);
    }
    await this.throttle.recordSuccess(codeKey);
    if (principal.lockdownSince !== null && !user.roles.includes('admin')) {
      // In lockdown only admins sign in (T25): the right code ends this sign-in, with no session.
      await this.db.transaction(principal.organisationId, (other) =>
        this.sessions.revoke(other, principal.sessionId, 'lockdown', now),
      );
      throw new LockdownActiveError(LOCKDOWN_SIGN_IN);
    }
    return this.activate(tx, principal, now);
  }

  /** Starts (or restarts) TOTP enrolment: a new secret, kept encrypted until confirmed. */
  async beginEnrolment(scope: SignedInScope): Promise<MfaEnrolment> {
    const { tx, principal } = scope;
    const secret = generateTotpSecret();
    try {
      const pending = await this.keyring.sealStaffSecret(
        tx,
        this.place(principal, 'totp_pending'),
        secret,
      );
      await this.staff.setTotpPending(tx, principal.userId, Buffer.from(pending));
      const uri = otpauthUri({ secret, issuer: 'Harbour', accountName: principal.email });
      return {
        secret: encodeBase32(secret),
        otpauthUri: uri,
        qrSvg: await qrToString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }),
      };
    } finally {
      secret.fill(0);
    }
  }

  /** Confirms enrolment with a first code; returns recovery codes (shown once). */
  async confirmEnrolment(
    scope: SignedInScope,
    code: string,
  ): Promise<{ response: MfaConfirmResponse; session: IssuedSession }> {
    const { tx, principal } = scope;
    const user = await this.user(tx, principal.userId);
    if (user.totpPending === null)
      throw new ValidationFailedError([{ path: 'code', reason: 'no_enrolment_in_progress' }]);
    const now = this.clock.now();
    const secret = await this.keyring.openStaffSecret(
      tx,
      this.place(principal, 'totp_pending'),
      user.totpPending,
    );
    try {
      const result = verifyTotp(secret, code, now.getTime(), { lastUsedStep: null });
      if (!result.ok) await this.mfaFailed(principal);
      const stored = await this.keyring.sealStaffSecret(
        tx,
        this.place(principal, 'totp_secret'),
        secret,
      );
      const step = result.ok ? result.step : null;
      await this.staff.confirmTotp(tx, principal.userId, Buffer.from(stored), now, step);
    } finally {
      secret.fill(0);
    }
    const recoveryCodes = generateRecoveryCodes(RECOVERY_CODE_COUNT);
    await this.recoveryCodes.replace(
      tx,
      principal.organisationId,
      principal.userId,
      recoveryCodes.map((c) => Buffer.from(hashRecoveryCode(c))),
    );
    const { response, session } = await this.activate(tx, principal, now);
    return { response: { session: response.session, recoveryCodes }, session };
  }

  /** Step-up (T7): the password and a fresh code again, good for five minutes. */
  async stepUp(scope: SignedInScope, password: string, code: string): Promise<StepUpResponse> {
    const { tx, principal } = scope;
    const user = await this.user(tx, principal.userId);
    const now = this.clock.now();
    const accountKey = LoginThrottle.accountKey(user.email);
    await this.throttle.checkAccount(accountKey, now);
    if (!(await this.hasher.verify(user.passwordHash, password))) {
      await this.throttle.recordFailure(accountKey, now);
      throw new InvalidCredentialsError();
    }
    // The code is throttled like the sign-in's, on the same per-account count (T3, T5).
    const codeKey = LoginThrottle.codeKey(user.id);
    await this.throttle.checkAccount(codeKey, now);
    if (
      user.totpSecret === null ||
      !(await this.acceptTotp(tx, user, 'totp_secret', user.totpSecret, code, now))
    ) {
      await this.throttle.recordFailure(codeKey, now);
      throw new InvalidCodeError();
    }
    await this.throttle.recordSuccess(codeKey);
    await this.sessions.markStepUp(tx, principal.sessionId, now);
    return { stepUpUntil: new Date(now.getTime() + STEP_UP_MS).toISOString() };
  }

  /**
   * Changes the password (T2 policy). Every session of the user ends (T6); the caller gets a
   * fresh one, so the old cookie no longer works anywhere.
   */
  async changePassword(
    scope: SignedInScope,
    currentPassword: string,
    newPassword: string,
  ): Promise<IssuedSession> {
    const { tx, principal } = scope;
    const user = await this.user(tx, principal.userId);
    if (!(await this.hasher.verify(user.passwordHash, currentPassword)))
      throw new InvalidCredentialsError();
    const organisation = await this.organisations.get(tx, principal.organisationId);
    const problem = checkPassword(
      newPassword,
      {
        organisationName: organisation.name,
        email: user.email,
        displayName: user.displayName,
        currentPassword,
      },
      this.isCommonPassword,
    );
    if (problem !== null) throw new PasswordRejectedError(problem);
    const now = this.clock.now();
    await this.staff.changePassword(tx, principal.userId, await this.hasher.hash(newPassword), now);
    await this.sessions.revokeAllForUser(tx, principal.userId, 'password_changed', now);
    return this.sessions.issue(tx, principal.organisationId, principal.userId, 'active', now);
  }

  async logout(scope: SignedInScope): Promise<void> {
    await this.sessions.revoke(scope.tx, scope.principal.sessionId, 'logout', this.clock.now());
  }

  sessionInfo(scope: SignedInScope): Promise<SessionInfo> {
    return this.infoOf(scope.tx, scope.principal);
  }

  /** What the console shows of a session: `principal` may be one just issued, not the caller. */
  private async infoOf(tx: Tx, principal: Principal): Promise<SessionInfo> {
    const organisation = await this.organisations.get(tx, principal.organisationId);
    return SessionService.info(principal, {
      name: organisation.name,
      lockdown: organisation.lockdownAt !== null,
    });
  }

  private async activate(
    tx: Tx,
    principal: Principal,
    now: Date,
  ): Promise<{ response: MfaVerifyResponse; session: IssuedSession }> {
    // Session rotation after the second factor (T6): the pre-MFA token stops working.
    await this.sessions.revoke(tx, principal.sessionId, 'rotated', now);
    const session = await this.sessions.issue(
      tx,
      principal.organisationId,
      principal.userId,
      'active',
      now,
    );
    await this.staff.recordSignIn(tx, principal.userId, now);
    const resolved = await this.sessions.resolveInTransaction(tx, session.sessionId, now);
    return { response: { session: await this.infoOf(tx, resolved) }, session };
  }

  private async acceptTotp(
    tx: Tx,
    user: StaffUserEntity,
    column: 'totp_secret',
    encrypted: Buffer,
    code: string,
    now: Date,
  ): Promise<boolean> {
    const secret = await this.keyring.openStaffSecret(
      tx,
      { organisationId: user.organisationId, userId: user.id, column },
      encrypted,
    );
    try {
      const lastUsedStep = user.totpLastStep === null ? null : Number(user.totpLastStep);
      const result = verifyTotp(secret, code, now.getTime(), { lastUsedStep });
      if (!result.ok) return false;
      // Each code once: the accepted step is remembered, so a replay inside the window fails.
      return await this.staff.acceptTotpStep(tx, user.id, result.step);
    } finally {
      secret.fill(0);
    }
  }

  private async useRecoveryCode(
    tx: Tx,
    principal: Principal,
    code: string,
    now: Date,
  ): Promise<boolean> {
    const hash = Buffer.from(hashRecoveryCode(code));
    return this.recoveryCodes.use(tx, principal.userId, hash, now);
  }

  /** A wrong code: counted outside the failing request; too many end the sign-in. */
  private async mfaFailed(principal: Principal): Promise<never> {
    const failures = await this.sessions.countMfaFailure(
      principal.sessionId,
      principal.organisationId,
    );
    if (failures >= MAX_MFA_FAILURES) {
      await this.db.transaction(principal.organisationId, (tx) =>
        this.sessions.revoke(tx, principal.sessionId, 'mfa_failures', this.clock.now()),
      );
      throw new UnauthenticatedError();
    }
    throw new InvalidCodeError();
  }

  private async user(tx: Tx, userId: string): Promise<StaffUserEntity> {
    const user = await this.staff.find(tx, userId);
    if (user?.status !== 'active') throw new UnauthenticatedError();
    return user;
  }

  private place(principal: Principal, column: 'totp_secret' | 'totp_pending'): StaffSecretPlace {
    return { organisationId: principal.organisationId, userId: principal.userId, column };
  }
}
