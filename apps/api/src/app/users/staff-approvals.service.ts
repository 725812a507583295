import { Injectable } from '@nestjs/common';
import type {
  ApproveStaffChangeResponse,
  StaffApprovalView,
  StaffChangeKind,
} from '@harbour/domain';
import type { SignedInScope } from '../../core/scope/request-scope';
import type { Tx } from '../../infra/database/transaction';
import { NotFoundError } from '../../infra/http/domain-error';
import { Clock } from '../../infra/time/clock';
import {
  StaffChangeRequests,
  type StaffChangeRow,
} from '../../data/staff/staff-change-requests.repository';
import { roleChangeFields } from './staff-roles';
import {
  ApprovalExpiredError,
  ChangeConflictError,
  SecondAdminRequiredError,
} from '../../core/errors/staff.errors';
import { toView, UsersService } from './users.service';

/**
 * The second admin's side of separation of duties (ADR 0008): pending staff changes, approved
 * (and applied in the same transaction) by an admin who neither asked for the change nor is its
 * subject, under a fresh step-up (the route); or cancelled. Requests expire after
 * `STAFF_CHANGE_TTL_MS`. A one-time password (new account, password reset) goes to the approver,
 * never to the admin who asked.
 */
@Injectable()
export class StaffApprovalsService {
  constructor(
    private readonly clock: Clock,
    private readonly requests: StaffChangeRequests,
    private readonly users: UsersService,
  ) {}

  list(scope: SignedInScope): Promise<StaffApprovalView[]> {
    return this.requests.pending(scope.tx, this.clock.now());
  }

  async approve(scope: SignedInScope, id: string): Promise<ApproveStaffChangeResponse> {
    const { tx, principal } = scope;
    const now = this.clock.now();
    await this.requests.expire(tx, now);
    const request = await this.pendingRequest(tx, id);
    if (request.requestedBy === principal.userId) {
      throw new SecondAdminRequiredError(
        'Another administrator must approve a change you asked for.',
      );
    }
    if (request.targetUserId === principal.userId) {
      throw new SecondAdminRequiredError(
        'A change to your own account must be approved by another administrator.',
      );
    }
    const { user, oneTimePassword } = await this.apply(tx, principal.organisationId, request, now);
    await this.requests.decide(tx, request.id, 'applied', principal.userId, now, user.id);
    scope.note({
      resourceIds: [user.id],
      fields: [
        `change:${request.kind}`,
        ...roleChangeFields(request.rolesBefore, request.rolesAfter),
      ],
    });
    return { user, oneTimePassword };
  }

  /** Withdraws a pending request (any admin: the one who asked, or one who will not approve). */
  async cancel(scope: SignedInScope, id: string): Promise<void> {
    const { tx, principal } = scope;
    const now = this.clock.now();
    await this.requests.expire(tx, now);
    const request = await this.pendingRequest(tx, id);
    await this.requests.decide(tx, request.id, 'cancelled', principal.userId, now, null);
    scope.note({
      resourceIds: request.targetUserId === null ? [] : [request.targetUserId],
      fields: [
        `change:${request.kind}`,
        ...roleChangeFields(request.rolesBefore, request.rolesAfter),
      ],
    });
  }

  private async pendingRequest(tx: Tx, id: string): Promise<StaffChangeRow> {
    const request = await this.requests.lock(tx, id);
    if (request === null) throw new NotFoundError();
    if (request.status === 'expired') throw new ApprovalExpiredError();
    if (request.status !== 'pending') {
      throw new ChangeConflictError('This request has already been decided.');
    }
    return request;
  }

  private async apply(
    tx: Tx,
    organisationId: string,
    request: StaffChangeRow,
    now: Date,
  ): Promise<ApproveStaffChangeResponse> {
    const kind: StaffChangeKind = request.kind;
    switch (kind) {
      case 'create_account': {
        const created = await this.users.createNow(
          tx,
          organisationId,
          { email: request.email!, displayName: request.displayName!, roles: request.rolesAfter },
          now,
        );
        return created;
      }
      case 'grant_roles': {
        const user = await this.users.applyRoles(
          tx,
          request.targetUserId!,
          request.rolesBefore,
          request.rolesAfter,
          now,
        );
        return { user: toView(user), oneTimePassword: null };
      }
      case 'reset_password': {
        const target = await this.users.find(tx, request.targetUserId!);
        const oneTimePassword = await this.users.applyPasswordReset(tx, target);
        return { user: toView(await this.users.find(tx, target.id)), oneTimePassword };
      }
      case 'reset_mfa': {
        const target = await this.users.find(tx, request.targetUserId!);
        await this.users.applyMfaReset(tx, target);
        return { user: toView(await this.users.find(tx, target.id)), oneTimePassword: null };
      }
    }
  }
}
