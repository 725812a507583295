import { Injectable } from '@nestjs/common';
import type { SessionStage } from '../../infra/auth/principal';
import { Db, type SimpleExecute, type Tx } from '../../infra/database/transaction';
import { prepared, query, simple, standalone, statement } from '../sql';
import { StaffSessionEntity } from './staff-session.entity';

/** A session with its user and organisation, as resuming one reads it. */
export interface SessionRow {
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
  language: string | null;
  roles: string[];
  status: string;
  must_change_password: boolean;
  lockdown_at: Date | null;
}

const revoke = statement<{ id: string; now: Date; reason: string }>(
  'sessions.revoke',
  `UPDATE staff_session SET revoked_at = :now, revoke_reason = :reason
 WHERE id = :id AND revoked_at IS NULL`,
);

const revokeForUser = statement<{ userId: string; now: Date; reason: string }>(
  'sessions.revokeForUser',
  `UPDATE staff_session SET revoked_at = :now, revoke_reason = :reason
 WHERE user_id = :userId AND revoked_at IS NULL`,
);

/** Row-level security scopes it to the transaction's organisation. */
const revokeAll = statement<{ now: Date; reason: string }>(
  'sessions.revokeAll',
  `UPDATE staff_session SET revoked_at = :now, revoke_reason = :reason WHERE revoked_at IS NULL`,
);

const markStepUp = statement<{ id: string; now: Date }>(
  'sessions.markStepUp',
  `UPDATE staff_session SET step_up_at = :now WHERE id = :id`,
);

const countMfaFailure = statement<{ id: string }, { mfa_failures: number }>(
  'sessions.countMfaFailure',
  `UPDATE staff_session SET mfa_failures = mfa_failures + 1 WHERE id = :id RETURNING mfa_failures`,
);

/**
 * The tenant from the token hash (the one cross-tenant lookup), then the session read and its
 * idle deadline moved under that tenant, in one statement (migration SessionResume).
 */
const resume = statement<{ tokenHash: Buffer; now: Date; idleUntil: Date }, SessionRow>(
  'sessions.resume',
  `SELECT * FROM auth_session_resume(:tokenHash, :now, :idleUntil)`,
);

/**
 * A session by id with its user, and, for a live active session, the idle deadline moved
 * forward (never past the absolute one) in the same statement, as `sessions.resume` does.
 */
const loadById = statement<{ id: string; now: Date; idleUntil: Date }, SessionRow>(
  'sessions.loadById',
  `WITH found AS (
  SELECT s.id, s.organisation_id, s.user_id, s.stage, s.csrf_hash, s.created_at,
         s.idle_expires_at, s.absolute_expires_at, s.step_up_at,
         u.email, u.display_name, u.language, u.roles, u.status, u.must_change_password,
         o.lockdown_at
    FROM staff_session s
    JOIN staff_user u ON u.organisation_id = s.organisation_id AND u.id = s.user_id
    JOIN organisation o ON o.id = s.organisation_id
   WHERE s.id = :id AND s.revoked_at IS NULL),
touched AS (
  UPDATE staff_session t
     SET last_seen_at = :now, idle_expires_at = LEAST(:idleUntil::timestamptz, f.absolute_expires_at)
    FROM found f
   WHERE t.id = f.id AND f.stage = 'active' AND f.status = 'active'
     AND :now::timestamptz < f.absolute_expires_at AND :now::timestamptz < f.idle_expires_at
  RETURNING t.id)
SELECT f.* FROM found f`,
);

/** How many rows an UPDATE changed, as TypeORM's postgres driver answers ([rows, count]). */
function affected(result: unknown): number {
  return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
}

/** Staff sessions: only hashes of their tokens are stored. */
@Injectable()
export class SessionsRepository {
  constructor(private readonly db: Db) {}

  async insert(tx: Tx, row: Omit<StaffSessionEntity, 'organisation' | 'user'>): Promise<void> {
    await tx.manager.getRepository(StaffSessionEntity).insert(row);
  }

  async revoke(tx: Tx, id: string, reason: string, now: Date): Promise<void> {
    await query(tx.manager, revoke, { id, now, reason });
  }

  async revokeForUser(tx: Tx, userId: string, reason: string, now: Date): Promise<number> {
    return affected(await query(tx.manager, revokeForUser, { userId, now, reason }));
  }

  async revokeAll(tx: Tx, reason: string, now: Date): Promise<number> {
    return affected(await query(tx.manager, revokeAll, { now, reason }));
  }

  async markStepUp(tx: Tx, id: string, now: Date): Promise<void> {
    await query(tx.manager, markStepUp, { id, now });
  }

  /** One more wrong second-factor code on the session; the new count. */
  async countMfaFailure(tx: Tx, id: string): Promise<number> {
    const result = (await query(tx.manager, countMfaFailure, { id })) as unknown as [
      { mfa_failures: number }[],
      number,
    ];
    return result[0][0]?.mfa_failures ?? 0;
  }

  /** Resumes a session by its token's hash, in a statement that is its own transaction. */
  async resume(tokenHash: Buffer, now: Date, idleUntil: Date): Promise<SessionRow | undefined> {
    const [row] = await standalone(this.db, resume, { tokenHash, now, idleUntil });
    return row;
  }

  /**
   * The same check as `resume`, as the first statement of the message that opens a request's
   * transaction (`TransactionOptions.session`, docs/adr/0021): it then sets that transaction's
   * tenant, and its idle refresh commits or rolls back with the request.
   */
  resumeInOpening(tokenHash: Buffer, now: Date, idleUntil: Date): SimpleExecute {
    return simple(resume, { tokenHash, now, idleUntil });
  }

  async loadById(tx: Tx, id: string, now: Date, idleUntil: Date): Promise<SessionRow | undefined> {
    const [row] = await prepared(tx, loadById, { id, now, idleUntil });
    return row;
  }
}
