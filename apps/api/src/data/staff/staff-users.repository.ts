import { Injectable } from '@nestjs/common';
import type { Role } from '@harbour/domain';
import type { Tx } from '../../infra/database/transaction';
import { StaffUserEntity } from './staff-user.entity';
import { query, statement } from '../sql';

/** An active staff member who works with people. */
export interface CaseStaffRow {
  readonly id: string;
  readonly email: string;
  readonly display_name: string;
  readonly roles: Role[];
}

const activeCaseStaff = statement<{ organisationId: string }, CaseStaffRow>(
  'staff.activeCaseStaff',
  `SELECT id, email, display_name, roles FROM staff_user
 WHERE organisation_id = :organisationId AND status = 'active'
   AND roles && ARRAY['caseworker', 'coordinator']::text[]
 ORDER BY id`,
);

const activeAdmins = statement<Record<string, never>, { n: number }>(
  'staff.activeAdminCount',
  `SELECT count(*)::int AS n FROM staff_user WHERE status = 'active' AND 'admin' = ANY (roles)`,
);

/** Accounts with this e-mail address in every organisation (a SECURITY DEFINER function). */
const loginCandidates = statement<
  { email: string },
  { organisation_id: string; user_id: string; password_hash: string }
>(
  'staff.loginCandidates',
  `SELECT organisation_id, user_id, password_hash FROM auth_login_candidates(:email)`,
);

const setTotpPending = statement<{ id: string; pending: Buffer }>(
  'staff.setTotpPending',
  `UPDATE staff_user SET totp_pending = :pending WHERE id = :id`,
);

const confirmTotp = statement<{ id: string; secret: Buffer; now: Date; step: number | null }>(
  'staff.confirmTotp',
  `UPDATE staff_user SET totp_secret = :secret, totp_pending = NULL, totp_enrolled_at = :now,
       totp_last_step = :step
 WHERE id = :id`,
);

/** Each code once: the accepted step is remembered, so a replay inside the window fails. */
const acceptTotpStep = statement<{ id: string; step: number }>(
  'staff.acceptTotpStep',
  `UPDATE staff_user SET totp_last_step = :step
 WHERE id = :id AND (totp_last_step IS NULL OR totp_last_step < :step) RETURNING id`,
);

const recordSignIn = statement<{ id: string; now: Date }>(
  'staff.recordSignIn',
  `UPDATE staff_user SET last_sign_in_at = :now WHERE id = :id`,
);

const changePassword = statement<{ id: string; hash: string; now: Date }>(
  'staff.changePassword',
  `UPDATE staff_user SET password_hash = :hash, password_changed_at = :now,
       must_change_password = false, version = version + 1, updated_at = :now
 WHERE id = :id`,
);

/** How many rows an UPDATE … RETURNING changed ([rows, count] from TypeORM's driver). */
function changed(result: unknown): number {
  return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
}

/** Staff accounts. */
@Injectable()
export class StaffUsersRepository {
  /** The account, in the transaction's organisation (row-level security), or null. */
  find(tx: Tx, id: string): Promise<StaffUserEntity | null> {
    return tx.manager.getRepository(StaffUserEntity).findOneBy({ id });
  }

  /** Sign-in's one look across organisations: the accounts with this address, with hashes. */
  loginCandidates(
    tx: Tx,
    email: string,
  ): Promise<{ organisation_id: string; user_id: string; password_hash: string }[]> {
    return query(tx.manager, loginCandidates, { email });
  }

  async setTotpPending(tx: Tx, id: string, pending: Buffer): Promise<void> {
    await query(tx.manager, setTotpPending, { id, pending });
  }

  async confirmTotp(
    tx: Tx,
    id: string,
    secret: Buffer,
    now: Date,
    step: number | null,
  ): Promise<void> {
    await query(tx.manager, confirmTotp, { id, secret, now, step });
  }

  /** Records an accepted TOTP step; false when it (or a later one) was used already. */
  async acceptTotpStep(tx: Tx, id: string, step: number): Promise<boolean> {
    return changed(await query(tx.manager, acceptTotpStep, { id, step })) === 1;
  }

  async recordSignIn(tx: Tx, id: string, now: Date): Promise<void> {
    await query(tx.manager, recordSignIn, { id, now });
  }

  /** The user's own new password (no change required any more). */
  async changePassword(tx: Tx, id: string, hash: string, now: Date): Promise<void> {
    await query(tx.manager, changePassword, { id, hash, now });
  }

  /** Active caseworkers and coordinators, by id. */
  activeCaseStaff(tx: Tx, organisationId: string): Promise<CaseStaffRow[]> {
    return query(tx.manager, activeCaseStaff, { organisationId });
  }

  /** How many active admins the transaction's organisation has. */
  async activeAdminCount(tx: Tx): Promise<number> {
    const [row] = await query(tx.manager, activeAdmins, {});
    return row?.n ?? 0;
  }
}
