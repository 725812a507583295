import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  isRole,
  isStaffLanguage,
  permissionsFor,
  SESSION_ABSOLUTE_MS,
  SIGN_IN_STAGE_MS,
  STEP_UP_MS,
  uuidv7,
  type Role,
  type SessionInfo,
} from '@harbour/domain';
import type { HarbourConfig } from '../../infra/config/config';
import { HARBOUR_CONFIG } from '../../infra/config/config.module';
import { sha256, type SessionResolver } from '../../infra/auth/access';
import type { Principal, SessionStage } from '../../infra/auth/principal';
import { Db, type SimpleExecute, type Tx } from '../../infra/database/transaction';
import { SessionsRepository, type SessionRow } from '../../data/staff/sessions.repository';

export interface IssuedSession {
  readonly sessionId: string;
  /** Goes into the HttpOnly session cookie; only its SHA-256 is stored. */
  readonly token: string;
  /** Goes into the readable XSRF cookie; only its SHA-256 is stored. */
  readonly csrf: string;
}

export type RevokeReason =
  | 'logout'
  | 'rotated'
  | 'expired'
  | 'disabled'
  | 'password_changed'
  | 'admin'
  | 'lockdown'
  | 'mfa_failures'
  | 'mfa_reset';

/** Server-side sessions (docs/security.md T6): opaque 256-bit tokens, hashed at rest, rotated. */
@Injectable()
export class SessionService implements SessionResolver {
  /** How long an active session lasts without a request (15 minutes outside tests). */
  private readonly idleMs: number;

  constructor(
    private readonly db: Db,
    private readonly sessions: SessionsRepository,
    @Inject(HARBOUR_CONFIG) config: HarbourConfig,
  ) {
    this.idleMs = config.sessions.idleMs;
  }

  /** A new session (new id and token): at sign-in, after MFA, after a password change. */
  async issue(
    tx: Tx,
    organisationId: string,
    userId: string,
    stage: SessionStage,
    now: Date,
  ): Promise<IssuedSession> {
    const token = randomBytes(32).toString('base64url');
    const csrf = randomBytes(32).toString('base64url');
    const sessionId = uuidv7();
    const absolute = new Date(
      now.getTime() + (stage === 'active' ? SESSION_ABSOLUTE_MS : SIGN_IN_STAGE_MS),
    );
    const idle = new Date(
      Math.min(
        now.getTime() + (stage === 'active' ? this.idleMs : SIGN_IN_STAGE_MS),
        absolute.getTime(),
      ),
    );
    await this.sessions.insert(tx, {
      organisationId,
      id: sessionId,
      userId,
      tokenHash: sha256(token),
      csrfHash: sha256(csrf),
      stage,
      createdAt: now,
      lastSeenAt: now,
      idleExpiresAt: idle,
      absoluteExpiresAt: absolute,
      stepUpAt: null,
      revokedAt: null,
      revokeReason: null,
      mfaFailures: 0,
    });
    return { sessionId, token, csrf };
  }

  async revoke(tx: Tx, sessionId: string, reason: RevokeReason, now: Date): Promise<void> {
    await this.sessions.revoke(tx, sessionId, reason, now);
  }

  /** Every live session of a user (logout everywhere, disable, password change, MFA reset). */
  async revokeAllForUser(tx: Tx, userId: string, reason: RevokeReason, now: Date): Promise<number> {
    return this.sessions.revokeForUser(tx, userId, reason, now);
  }

  /** Every live session of the organisation (lockdown). Row-level security scopes it. */
  async revokeAllInOrganisation(tx: Tx, reason: RevokeReason, now: Date): Promise<number> {
    return this.sessions.revokeAll(tx, reason, now);
  }

  async markStepUp(tx: Tx, sessionId: string, now: Date): Promise<void> {
    await this.sessions.markStepUp(tx, sessionId, now);
  }

  /** Counts a wrong second-factor code; returns the new count. */
  async countMfaFailure(sessionId: string, organisationId: string): Promise<number> {
    // Outside the request transaction: the failing request rolls back, the count must stay.
    return this.db.transaction(organisationId, (tx) =>
      this.sessions.countMfaFailure(tx, sessionId),
    );
  }

  /**
   * Resolves a session cookie: the organisation comes from the token hash (the one cross-tenant
   * lookup), then the session and its user are read under that tenant. Expired sessions are
   * revoked. An active session's idle deadline moves forward, never past the absolute one.
   */
  async resolve(
    tokenHash: Buffer,
    now: Date,
  ): Promise<{ principal: Principal; csrfHash: Buffer } | null> {
    // One statement, its own transaction: the tenant from the token hash, then the session
    // read and touched under it.
    const row = await this.sessions.resume(tokenHash, now, new Date(now.getTime() + this.idleMs));
    if (row === undefined) return null;
    const checked = this.check(row, now);
    if ('revoke' in checked) {
      await this.db.transaction(row.organisation_id, (tx) =>
        this.revoke(tx, row.id, checked.revoke, now),
      );
      return null;
    }
    return checked;
  }

  /**
   * The session check of `resolve`, to be sent as the first statement of a request's
   * transaction (docs/adr/0021); its rows go to `principalOf`.
   */
  resumeStatement(tokenHash: Buffer, now: Date): SimpleExecute {
    return this.sessions.resumeInOpening(tokenHash, now, new Date(now.getTime() + this.idleMs));
  }

  /**
   * The principal of the rows `resumeStatement` read, or null when there is none or the
   * session must be revoked (the caller then goes through `resolve`, which revokes it).
   */
  principalOf(
    rows: readonly object[],
    now: Date,
  ): { principal: Principal; csrfHash: Buffer } | null {
    const row = rows[0] as SessionRow | undefined;
    if (row === undefined) return null;
    const checked = this.check(row, now);
    return 'revoke' in checked ? null : checked;
  }

  /** The principal of a session just issued in this transaction (responses to sign-in steps). */
  async resolveInTransaction(tx: Tx, sessionId: string, now: Date): Promise<Principal> {
    const row = await this.sessions.loadById(
      tx,
      sessionId,
      now,
      new Date(now.getTime() + this.idleMs),
    );
    const checked = row === undefined ? null : this.check(row, now);
    if (checked !== null && 'revoke' in checked)
      await this.revoke(tx, row!.id, checked.revoke, now);
    if (checked === null || 'revoke' in checked) {
      throw new Error('session vanished inside its own transaction');
    }
    return checked.principal;
  }

  /**
   * A session row as read (and, when live, touched): the principal, or why it must be revoked
   * (its user disabled, or past a deadline).
   */
  private check(
    row: SessionRow,
    now: Date,
  ): { principal: Principal; csrfHash: Buffer } | { revoke: 'disabled' | 'expired' } {
    const t = now.getTime();
    if (row.status !== 'active') return { revoke: 'disabled' };
    if (
      t >= new Date(row.absolute_expires_at).getTime() ||
      t >= new Date(row.idle_expires_at).getTime()
    ) {
      return { revoke: 'expired' };
    }
    // As the statement above wrote it.
    const idle =
      row.stage === 'active'
        ? new Date(Math.min(t + this.idleMs, new Date(row.absolute_expires_at).getTime()))
        : new Date(row.idle_expires_at);
    const roles = row.roles.filter(isRole);
    return {
      csrfHash: row.csrf_hash,
      principal: {
        sessionId: row.id,
        organisationId: row.organisation_id,
        userId: row.user_id,
        email: row.email,
        displayName: row.display_name,
        language: isStaffLanguage(row.language) ? row.language : null,
        roles,
        permissions: permissionsFor(roles),
        stage: row.stage,
        mustChangePassword: row.must_change_password,
        stepUpAt: row.step_up_at === null ? null : new Date(row.step_up_at),
        idleExpiresAt: idle,
        absoluteExpiresAt: new Date(row.absolute_expires_at),
        lockdownSince: row.lockdown_at === null ? null : new Date(row.lockdown_at),
      },
    };
  }

  /** The console's view of a principal. */
  static info(
    principal: Principal,
    organisation: { name: string; lockdown: boolean },
  ): SessionInfo {
    return {
      user: {
        id: principal.userId,
        email: principal.email,
        displayName: principal.displayName,
        roles: [...principal.roles] as Role[],
        language: principal.language,
      },
      organisation: {
        id: principal.organisationId,
        name: organisation.name,
        lockdown: organisation.lockdown,
      },
      permissions: [...principal.permissions].sort(),
      mustChangePassword: principal.mustChangePassword,
      idleExpiresAt: principal.idleExpiresAt.toISOString(),
      absoluteExpiresAt: principal.absoluteExpiresAt.toISOString(),
      stepUpUntil:
        principal.stepUpAt === null
          ? null
          : new Date(principal.stepUpAt.getTime() + STEP_UP_MS).toISOString(),
    };
  }
}
