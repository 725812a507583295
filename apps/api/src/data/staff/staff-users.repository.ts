import { Injectable } from '@nestjs/common';
import type { Role } from '@harbour/domain';
import type { Tx } from '../../infra/database/transaction';
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

/** Staff accounts. */
@Injectable()
export class StaffUsersRepository {
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
