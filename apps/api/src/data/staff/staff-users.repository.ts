import { Injectable } from '@nestjs/common';
import type { Role, StaffLanguage } from '@harbour/domain';
import type { Tx } from '../../infra/database/transaction';
import { StaffUserEntity } from './staff-user.entity';
import { query, queryReturning, statement } from '../sql';

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

/** Only the person's own row: `id` is always the signed-in user's (row-level security adds the tenant). */
const setLanguage = statement<{ id: string; language: string }, { id: string }>(
  'staff.setLanguage',
  `UPDATE staff_user SET language = :language WHERE id = :id RETURNING id`,
);

const changePassword = statement<{ id: string; hash: string; now: Date }>(
  'staff.changePassword',
  `UPDATE staff_user SET password_hash = :hash, password_changed_at = :now,
       must_change_password = false, version = version + 1, updated_at = :now
 WHERE id = :id`,
);

const updateAccount = statement<{
  id: string;
  version: number;
  displayName: string;
  roles: string[];
  status: string;
  now: Date;
}>(
  'staff.updateAccount',
  `UPDATE staff_user SET display_name = :displayName, roles = :roles, status = :status,
       version = version + 1, updated_at = :now
 WHERE id = :id AND version = :version RETURNING id`,
);

const setRoles = statement<{ id: string; roles: string[]; now: Date }>(
  'staff.setRoles',
  `UPDATE staff_user SET roles = :roles, version = version + 1, updated_at = :now WHERE id = :id`,
);

const clearMfa = statement<{ id: string }>(
  'staff.clearMfa',
  `UPDATE staff_user SET totp_secret = NULL, totp_pending = NULL, totp_last_step = NULL,
       totp_enrolled_at = NULL, version = version + 1
 WHERE id = :id`,
);

const resetPassword = statement<{ id: string; hash: string; now: Date }>(
  'staff.resetPassword',
  `UPDATE staff_user SET password_hash = :hash, must_change_password = true,
       password_changed_at = :now, version = version + 1
 WHERE id = :id`,
);

const otherActiveAdmins = statement<{ exceptId: string }, { n: number }>(
  'staff.otherActiveAdmins',
  `SELECT count(*)::int AS n FROM staff_user
 WHERE id <> :exceptId AND status = 'active' AND 'admin' = ANY (roles)`,
);

const setTotpSecret = statement<{ id: string; secret: Buffer; now: Date }>(
  'staff.setTotpSecret',
  `UPDATE staff_user SET totp_secret = :secret, totp_enrolled_at = :now WHERE id = :id`,
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

  /** An enrolled second factor set directly (the demo data's users). */
  async setTotpSecret(tx: Tx, id: string, secret: Buffer, now: Date): Promise<void> {
    await query(tx.manager, setTotpSecret, { id, secret, now });
  }

  /** Records an accepted TOTP step; false when it (or a later one) was used already. */
  async acceptTotpStep(tx: Tx, id: string, step: number): Promise<boolean> {
    return changed(await query(tx.manager, acceptTotpStep, { id, step })) === 1;
  }

  async recordSignIn(tx: Tx, id: string, now: Date): Promise<void> {
    await query(tx.manager, recordSignIn, { id, now });
  }

  /** The account's console language; false when no such account is visible. */
  async setLanguage(tx: Tx, id: string, language: StaffLanguage): Promise<boolean> {
    return (await queryReturning(tx.manager, setLanguage, { id, language })).length === 1;
  }

  /** The user's own new password (no change required any more). */
  async changePassword(tx: Tx, id: string, hash: string, now: Date): Promise<void> {
    await query(tx.manager, changePassword, { id, hash, now });
  }

  /** Every account of the transaction's organisation, oldest first. */
  list(tx: Tx): Promise<StaffUserEntity[]> {
    return tx.manager
      .getRepository(StaffUserEntity)
      .find({ order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** Whether an account has this (normalised) address in the transaction's organisation. */
  emailTaken(tx: Tx, email: string): Promise<boolean> {
    return tx.manager.getRepository(StaffUserEntity).existsBy({ email });
  }

  /** Writes name, roles and status when still at `version`; false when another write came first. */
  async updateAccount(
    tx: Tx,
    id: string,
    version: number,
    account: { displayName: string; roles: readonly string[]; status: string },
    now: Date,
  ): Promise<boolean> {
    const result = await query(tx.manager, updateAccount, {
      id,
      version,
      displayName: account.displayName,
      roles: [...account.roles],
      status: account.status,
      now,
    });
    return changed(result) === 1;
  }

  async setRoles(tx: Tx, id: string, roles: readonly string[], now: Date): Promise<void> {
    await query(tx.manager, setRoles, { id, roles: [...roles], now });
  }

  /** Removes the account's second factor (enrolled or pending). */
  async clearMfa(tx: Tx, id: string): Promise<void> {
    await query(tx.manager, clearMfa, { id });
  }

  /** A password an admin set: to be changed at the next sign-in. */
  async resetPassword(tx: Tx, id: string, hash: string, now: Date): Promise<void> {
    await query(tx.manager, resetPassword, { id, hash, now });
  }

  /** Active admins other than `exceptId`. */
  async otherActiveAdmins(tx: Tx, exceptId: string): Promise<number> {
    const [row] = await query(tx.manager, otherActiveAdmins, { exceptId });
    return row?.n ?? 0;
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

/**
 * Writes a new account with the roles it is given. Only `UsersService.insert` calls it: that
 * is the one door through which accounts are made, and who may use it is pinned by
 * `users-bootstrap.spec.ts` (separation of duties, ADR 0008). Null when the address is taken.
 */
export async function insertStaffUser(
  tx: Tx,
  row: Omit<StaffUserEntity, 'createdAt' | 'updatedAt' | 'version' | 'organisation'>,
): Promise<StaffUserEntity | null> {
  const repo = tx.manager.getRepository(StaffUserEntity);
  if (await repo.existsBy({ organisationId: row.organisationId, email: row.email })) return null;
  await repo.insert(row);
  return repo.findOneByOrFail({ organisationId: row.organisationId, id: row.id });
}
