import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  isRole,
  permissionsFor,
  SESSION_ABSOLUTE_MS,
  SESSION_IDLE_MS,
  SIGN_IN_STAGE_MS,
  STEP_UP_MS,
  uuidv7,
  type Role,
  type SessionInfo,
} from '@harbour/domain';
import { sha256, type SessionResolver } from '../../infra/auth/access';
import type { Principal, SessionStage } from '../../infra/auth/principal';
import { Db, type Tx } from '../../infra/database/transaction';
import { StaffSessionEntity } from '../../data/staff/staff-session.entity';

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

interface SessionRow {
  id: string;
  organisation_id: string;
  user_id: string;
  stage: SessionStage;
  csrf_hash: Buffer;
  created_at: Date;
  idle_expires_at: Date;
  absolute_expires_at: Date;
  step_up_at: Date | null;
  email: string;
  display_name: string;
  roles: string[];
  status: string;
  must_change_password: boolean;
  lockdown_at: Date | null;
}

/** Server-side sessions (docs/security.md T6): opaque 256-bit tokens, hashed at rest, rotated. */
@Injectable()
export class SessionService implements SessionResolver {
  constructor(private readonly db: Db) {}

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
        now.getTime() + (stage === 'active' ? SESSION_IDLE_MS : SIGN_IN_STAGE_MS),
        absolute.getTime(),
      ),
    );
    await tx.manager.getRepository(StaffSessionEntity).insert({
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
    await tx.manager.query(
      `UPDATE staff_session SET revoked_at = $2, revoke_reason = $3 WHERE id = $1 AND revoked_at IS NULL`,
      [sessionId, now, reason],
    );
  }

  /** Every live session of a user (logout everywhere, disable, password change, MFA reset). */
  async revokeAllForUser(tx: Tx, userId: string, reason: RevokeReason, now: Date): Promise<number> {
    const result: unknown = await tx.manager.query(
      `UPDATE staff_session SET revoked_at = $2, revoke_reason = $3 WHERE user_id = $1 AND revoked_at IS NULL`,
      [userId, now, reason],
    );
    return affected(result);
  }

  /** Every live session of the organisation (lockdown). Row-level security scopes it. */
  async revokeAllInOrganisation(tx: Tx, reason: RevokeReason, now: Date): Promise<number> {
    const result: unknown = await tx.manager.query(
      `UPDATE staff_session SET revoked_at = $1, revoke_reason = $2 WHERE revoked_at IS NULL`,
      [now, reason],
    );
    return affected(result);
  }

  async markStepUp(tx: Tx, sessionId: string, now: Date): Promise<void> {
    await tx.manager.query(`UPDATE staff_session SET step_up_at = $2 WHERE id = $1`, [
      sessionId,
      now,
    ]);
  }

  /** Counts a wrong second-factor code; returns the new count. */
  async countMfaFailure(sessionId: string, organisationId: string): Promise<number> {
    // Outside the request transaction: the failing request rolls back, the count must stay.
    return this.db.transaction(organisationId, async (tx) => {
      const rows = await tx.manager.query<[{ mfa_failures: number }[], number]>(
        `UPDATE staff_session SET mfa_failures = mfa_failures + 1 WHERE id = $1 RETURNING mfa_failures`,
        [sessionId],
      );
      return rows[0][0]?.mfa_failures ?? 0;
    });
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
    // One statement, its own transaction: the tenant from the token hash (the one cross-tenant
    // lookup), then the session read and touched under it (migration SessionResume).
    const [row] = await this.db.statement<SessionRow>(
      'auth_session_resume',
      `SELECT * FROM auth_session_resume($1, $2, $3)`,
      [tokenHash, now, new Date(now.getTime() + SESSION_IDLE_MS)],
    );
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

  /** The principal of a session just issued in this transaction (responses to sign-in steps). */
  async resolveInTransaction(tx: Tx, sessionId: string, now: Date): Promise<Principal> {
    // The session with its user, and, for a live active session, the idle deadline moved
    // forward (never past the absolute one) in the same statement, as `auth_session_resume`
    // does for a token.
    const [row] = await tx.prepared<SessionRow>(
      'session_load_by_id',
      `WITH found AS (
         SELECT s.id, s.organisation_id, s.user_id, s.stage, s.csrf_hash, s.created_at,
                s.idle_expires_at, s.absolute_expires_at, s.step_up_at,
                u.email, u.display_name, u.roles, u.status, u.must_change_password,
                o.lockdown_at
           FROM staff_session s
           JOIN staff_user u ON u.organisation_id = s.organisation_id AND u.id = s.user_id
           JOIN organisation o ON o.id = s.organisation_id
          WHERE s.id = $1 AND s.revoked_at IS NULL),
       touched AS (
         UPDATE staff_session t
            SET last_seen_at = $2, idle_expires_at = LEAST($3::timestamptz, f.absolute_expires_at)
           FROM found f
          WHERE t.id = f.id AND f.stage = 'active' AND f.status = 'active'
            AND $2::timestamptz < f.absolute_expires_at AND $2::timestamptz < f.idle_expires_at
         RETURNING t.id)
       SELECT f.* FROM found f`,
      [sessionId, now, new Date(now.getTime() + SESSION_IDLE_MS)],
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
        ? new Date(Math.min(t + SESSION_IDLE_MS, new Date(row.absolute_expires_at).getTime()))
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

function affected(result: unknown): number {
  return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
}
