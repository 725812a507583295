import { Inject, Injectable } from '@nestjs/common';
import { DecryptionError, KeyError, type HarbourCrypto } from '@harbour/crypto';
import {
  addCalendarDays,
  type AssigneeView,
  DAY_UPCOMING_LIMIT,
  earliestCalendarDay,
  latestCalendarDay,
  MAX_FOLLOW_UP_DAYS_AHEAD,
  RECENTLY_SEEN_DAYS,
  uuidv7,
  type CreateFollowUpRequest,
  type DayCounts,
  type DayReferral,
  type DayView,
  type FollowUpQuery,
  type FollowUpSource,
  type FollowUpStatus,
  type FollowUpView,
  type ReferralStatus,
  type UpdateFollowUpRequest,
} from '@harbour/domain';
import { KeyringService } from '../../core/keyring/keyring.service';
import type { SignedInScope } from '../../core/scope/request-scope';
import {
  FollowUpsRepository,
  type DayReferralRow,
  type FollowUpRow,
} from '../../data/follow-ups/follow-ups.repository';
import { HARBOUR_CRYPTO } from '../../infra/crypto/crypto.module';
import type { Tx } from '../../infra/database/transaction';
import {
  IntegrityError,
  NotFoundError,
  ValidationFailedError,
  VersionConflictError,
} from '../../infra/http/domain-error';
import { Clock } from '../../infra/time/clock';
import {
  AssigneeNotEligibleError,
  DueDateInPastError,
  FollowUpClosedError,
} from './follow-ups.errors';

const DAY_MS = 86_400_000;

/** Where a follow-up's text is bound when encrypted. */
export function followUpTextPlace(organisationId: string, id: string) {
  return { organisationId, table: 'follow_up', column: 'text', rowId: id };
}

/**
 * Follow-ups and the caseworker's day. A follow-up's text is class B under its person's own key
 * (so erasing the person erases it); reading it back is part of the route's access event (the
 * field name `text` and the ids, never the text).
 */
@Injectable()
export class FollowUpsService {
  constructor(
    private readonly followUps: FollowUpsRepository,
    private readonly keyring: KeyringService,
    private readonly clock: Clock,
    @Inject(HARBOUR_CRYPTO) private readonly crypto: HarbourCrypto,
  ) {}

  async create(scope: SignedInScope, request: CreateFollowUpRequest): Promise<FollowUpView> {
    const { tx, organisationId, principal } = scope;
    const plain = request.text.trim();
    if (plain === '') throw new ValidationFailedError([{ path: 'text', reason: 'empty' }]);
    this.checkDue(request.dueOn);
    const person = await this.followUps.person(tx, organisationId, request.personId);
    if (person === undefined) {
      throw new ValidationFailedError([{ path: 'personId', reason: 'unknown' }]);
    }
    if (person.erased) throw new ValidationFailedError([{ path: 'personId', reason: 'erased' }]);
    if (request.needId !== undefined) {
      const of = await this.followUps.needPerson(tx, organisationId, request.needId);
      if (of !== request.personId) {
        throw new ValidationFailedError([
          { path: 'needId', reason: of === undefined ? 'unknown' : 'otherPerson' },
        ]);
      }
    }
    if (request.referralId !== undefined) {
      const of = await this.followUps.referralPerson(tx, organisationId, request.referralId);
      if (of !== request.personId) {
        throw new ValidationFailedError([
          { path: 'referralId', reason: of === undefined ? 'unknown' : 'otherPerson' },
        ]);
      }
    }
    const assignedTo = request.assignedTo ?? principal.userId;
    if (!(await this.followUps.eligibleAssignee(tx, organisationId, assignedTo))) {
      throw new AssigneeNotEligibleError();
    }
    const id = uuidv7();
    const key = await this.keyring.personKeyFor(tx, organisationId, request.personId);
    const text = Buffer.from(
      this.crypto.encryptField(key, followUpTextPlace(organisationId, id), plain),
    );
    await this.followUps.insert(tx, {
      organisationId,
      id,
      personId: request.personId,
      needId: request.needId ?? null,
      referralId: request.referralId ?? null,
      text,
      dueOn: request.dueOn,
      assignedTo,
      createdBy: principal.userId,
      now: this.clock.now(),
    });
    scope.note({ resourceIds: [id, person.code] });
    return this.one(scope, id);
  }

  /** Active staff with a case role: whom a follow-up may be assigned to. */
  async assignees(scope: SignedInScope): Promise<AssigneeView[]> {
    const rows = await this.followUps.assignees(scope.tx, scope.organisationId);
    return rows.map((r) => ({ id: r.id, displayName: r.display_name }));
  }

  async list(scope: SignedInScope, query: FollowUpQuery): Promise<FollowUpView[]> {
    const { tx, organisationId, principal } = scope;
    const rows = await this.followUps.list(tx, organisationId, {
      assignedTo: query.mine === true ? principal.userId : null,
      personId: query.person ?? null,
      status: query.status ?? null,
      dueBefore: query.dueBefore ?? null,
    });
    return this.views(scope, rows);
  }

  async update(
    scope: SignedInScope,
    id: string,
    request: UpdateFollowUpRequest,
  ): Promise<FollowUpView> {
    const { tx, organisationId, principal } = scope;
    const current = await this.followUps.lock(tx, organisationId, id);
    if (current === undefined) throw new NotFoundError();
    if (current.version !== request.version) throw new VersionConflictError();
    if (current.status !== 'open') throw new FollowUpClosedError();
    const row = (await this.followUps.find(tx, organisationId, id))!;
    const next = {
      status: 'open' as FollowUpStatus,
      dueOn: current.due_on,
      assignedTo: row.assigned_to,
      snoozed: 0,
    };
    switch (request.action) {
      case 'done':
        next.status = 'done';
        break;
      case 'cancel':
        next.status = 'cancelled';
        break;
      case 'snooze':
        if (request.dueOn === undefined) {
          throw new ValidationFailedError([{ path: 'dueOn', reason: 'required' }]);
        }
        this.checkDue(request.dueOn);
        next.dueOn = request.dueOn;
        next.snoozed = 1;
        break;
      case 'reassign':
        if (request.assignedTo === undefined) {
          throw new ValidationFailedError([{ path: 'assignedTo', reason: 'required' }]);
        }
        if (!(await this.followUps.eligibleAssignee(tx, organisationId, request.assignedTo))) {
          throw new AssigneeNotEligibleError();
        }
        next.assignedTo = request.assignedTo;
        break;
    }
    const closedBy = next.status === 'open' ? null : principal.userId;
    const now = this.clock.now();
    if (
      !(await this.followUps.update(tx, organisationId, id, request.version, next, closedBy, now))
    ) {
      throw new VersionConflictError();
    }
    return this.one(scope, id);
  }

  /** The caseworker's day (see `DayView`), for the day `today` asks for or UTC's. */
  async day(scope: SignedInScope, today?: string): Promise<DayView> {
    const { tx, organisationId, principal } = scope;
    const day = this.today(today);
    const rows = await this.followUps.dueFor(
      tx,
      organisationId,
      principal.userId,
      day,
      DAY_UPCOMING_LIMIT,
    );
    const views = await this.views(scope, rows);
    const days = await this.followUps.staleReferralDays(tx, organisationId);
    const stale =
      days === null
        ? []
        : await this.followUps.staleReferralsOf(
            tx,
            organisationId,
            principal.userId,
            this.quietBefore(days),
          );
    const drafts = await this.followUps.draftsOf(tx, organisationId, principal.userId);
    const seen = await this.followUps.recentlySeen(
      tx,
      organisationId,
      principal.userId,
      addCalendarDays(day, -RECENTLY_SEEN_DAYS),
    );
    scope.note({
      resourceIds: [
        ...stale.map((r) => r.id),
        ...drafts.map((r) => r.id),
        ...seen.map((p) => p.person_code),
      ],
    });
    return {
      today: day,
      overdue: views.filter((f) => f.dueOn < day),
      dueToday: views.filter((f) => f.dueOn === day),
      upcoming: views.filter((f) => f.dueOn > day),
      staleReferrals: stale.map(dayReferral),
      staleReferralDays: days,
      recentlySeen: seen.map((p) => ({
        personId: p.person_id,
        personCode: p.person_code,
        lastSeenOn: p.last_seen_on,
      })),
      drafts: drafts.map(dayReferral),
    };
  }

  /** The navigation badge: counts only, nothing decrypted. */
  async counts(scope: SignedInScope, today?: string): Promise<DayCounts> {
    const { tx, organisationId, principal } = scope;
    const days = await this.followUps.staleReferralDays(tx, organisationId);
    return this.followUps.counts(
      tx,
      organisationId,
      principal.userId,
      this.today(today),
      days === null ? null : this.quietBefore(days),
    );
  }

  private quietBefore(days: number): Date {
    return new Date(this.clock.now().getTime() - days * DAY_MS);
  }

  /**
   * The caller's today: a calendar day that is today somewhere on Earth now (the console sends
   * the browser's), else UTC's.
   */
  private today(asked: string | undefined): string {
    const now = this.clock.now();
    if (asked === undefined) return now.toISOString().slice(0, 10);
    if (asked < earliestCalendarDay(now) || asked > latestCalendarDay(now)) {
      throw new ValidationFailedError([{ path: 'today', reason: 'notToday' }]);
    }
    return asked;
  }

  /** A due date must not have passed everywhere, nor lie more than a year ahead. */
  private checkDue(dueOn: string): void {
    const now = this.clock.now();
    if (dueOn < earliestCalendarDay(now)) throw new DueDateInPastError();
    if (dueOn > addCalendarDays(latestCalendarDay(now), MAX_FOLLOW_UP_DAYS_AHEAD)) {
      throw new ValidationFailedError([{ path: 'dueOn', reason: 'tooFarAhead' }]);
    }
  }

  private async one(scope: SignedInScope, id: string): Promise<FollowUpView> {
    const row = await this.followUps.find(scope.tx, scope.organisationId, id);
    if (row === undefined) throw new NotFoundError();
    const [view] = await this.views(scope, [row]);
    return view!;
  }

  /** Views with their text opened; the access event names the ids and the field `text`. */
  private async views(scope: SignedInScope, rows: readonly FollowUpRow[]): Promise<FollowUpView[]> {
    const { tx, organisationId } = scope;
    const views: FollowUpView[] = [];
    for (const row of rows) {
      const text =
        row.text === null || row.person_erased ? null : await this.open(tx, organisationId, row);
      views.push(view(row, text));
    }
    const codes = [...new Set(rows.map((r) => r.person_code).filter((c) => c !== null))];
    scope.note({
      resourceIds: [...rows.map((r) => r.id), ...codes],
      fields: rows.some((r) => r.text !== null && !r.person_erased) ? ['text'] : [],
    });
    return views;
  }

  private async open(tx: Tx, organisationId: string, row: FollowUpRow): Promise<string> {
    try {
      const ciphertext = new Uint8Array(row.text!);
      const key = await this.keyring.keyForField(tx, organisationId, ciphertext, row.person_id);
      return this.crypto
        .decryptText(key, followUpTextPlace(organisationId, row.id), ciphertext)
        .reveal();
    } catch (error) {
      if (error instanceof DecryptionError || error instanceof KeyError) {
        throw new IntegrityError([row.id]);
      }
      throw error;
    }
  }
}

function view(row: FollowUpRow, text: string | null): FollowUpView {
  return {
    id: row.id,
    personId: row.person_id,
    personCode: row.person_code,
    needId: row.need_id,
    referralId: row.referral_id,
    source: row.source as FollowUpSource,
    text,
    dueOn: row.due_on,
    assignedTo: row.assigned_to,
    assignedToName: row.assigned_to_name,
    status: row.status as FollowUpStatus,
    snoozedCount: row.snoozed_count,
    completedAt: row.completed_at?.toISOString() ?? null,
    completedBy: row.completed_by,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    version: row.version,
  };
}

function dayReferral(row: DayReferralRow): DayReferral {
  return {
    id: row.id,
    personId: row.person_id,
    personCode: row.person_code,
    partnerName: row.partner_name,
    status: row.status as ReferralStatus,
    since: new Date(row.since).toISOString(),
    createdAt: row.created_at.toISOString(),
  };
}
