import type { ReferralStatus } from './referrals';

/**
 * Follow-ups: a dated task on a person (optionally about one of their needs or referrals), assigned
 * to a staff member — "call back about the clinic on Friday". Done, snoozed (its due date moves)
 * or cancelled; never deleted. A manual follow-up always belongs to a person, and its text is
 * class B, sealed under that person's own key (so erasing the person erases it). An automatic
 * one (`stale_referral`) is created by Harbour for a referral that has waited on its partner for
 * the organisation's `staleReferralDays`; it carries no text (the console words it from its
 * source), so nothing about it is ever sealed under the organisation's key.
 */
export const FOLLOW_UP_STATUSES = ['open', 'done', 'cancelled'] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];

export const FOLLOW_UP_SOURCES = ['manual', 'stale_referral'] as const;
export type FollowUpSource = (typeof FOLLOW_UP_SOURCES)[number];

/** What an update does to a follow-up. */
export const FOLLOW_UP_ACTIONS = ['done', 'snooze', 'cancel', 'reassign'] as const;
export type FollowUpAction = (typeof FOLLOW_UP_ACTIONS)[number];

/** The longest follow-up text. */
export const MAX_FOLLOW_UP_TEXT_LENGTH = 500;

/** How far ahead a follow-up may be due (or snoozed to), in days. */
export const MAX_FOLLOW_UP_DAYS_AHEAD = 366;

/**
 * Referral statuses that wait on the partner: sent (waiting for an answer) and accepted
 * (waiting for the outcome). A referral in one of them with no change for the organisation's
 * `staleReferralDays` has gone quiet.
 */
export const AWAITING_PARTNER_STATUSES = [
  'sent',
  'accepted',
] as const satisfies readonly ReferralStatus[];

/** The organisation setting `staleReferralDays`: null switches automatic follow-ups off. */
export const STALE_REFERRAL_DAYS_DEFAULT = 14;
export const STALE_REFERRAL_DAYS_MIN = 1;
export const STALE_REFERRAL_DAYS_MAX = 365;

/** How many days back "recently seen" looks on the day view. */
export const RECENTLY_SEEN_DAYS = 14;

/** How many upcoming follow-ups the day view shows after today's. */
export const DAY_UPCOMING_LIMIT = 5;

export interface FollowUpView {
  readonly id: string;
  readonly personId: string | null;
  readonly personCode: string | null;
  readonly needId: string | null;
  readonly referralId: string | null;
  readonly source: FollowUpSource;
  /** The task's text (manual follow-ups); null for automatic ones and for an erased person. */
  readonly text: string | null;
  readonly dueOn: string;
  readonly assignedTo: string;
  readonly assignedToName: string | null;
  readonly status: FollowUpStatus;
  readonly snoozedCount: number;
  readonly completedAt: string | null;
  readonly completedBy: string | null;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly version: number;
}

export interface CreateFollowUpRequest {
  readonly personId: string;
  readonly needId?: string;
  readonly referralId?: string;
  readonly text: string;
  readonly dueOn: string;
  /** A staff member of the organisation with a case role; the caller when absent. */
  readonly assignedTo?: string;
}

export interface UpdateFollowUpRequest {
  readonly version: number;
  readonly action: FollowUpAction;
  /** For `snooze`: the new due date (today or later). */
  readonly dueOn?: string;
  /** For `reassign`: the new assignee. */
  readonly assignedTo?: string;
}

export interface FollowUpQuery {
  /** Only those assigned to the caller. */
  readonly mine?: boolean;
  readonly person?: string;
  readonly status?: FollowUpStatus;
  /** Only those due on or before this day. */
  readonly dueBefore?: string;
}

/** A staff member a follow-up may be assigned to (active, with a case role). */
export interface AssigneeView {
  readonly id: string;
  readonly displayName: string;
}

/** A referral on the day view: pseudonymous code, partner, status and since when. */
export interface DayReferral {
  readonly id: string;
  readonly personId: string | null;
  readonly personCode: string | null;
  readonly partnerName: string;
  readonly status: ReferralStatus;
  /** When its status last changed (its latest event). */
  readonly since: string;
  readonly createdAt: string;
}

/** A person the worker saw: code and the day of the latest contact, no identity. */
export interface DayPerson {
  readonly personId: string;
  readonly personCode: string;
  readonly lastSeenOn: string;
}

/** The caseworker's day (`GET /api/me/day`). */
export interface DayView {
  /** The day the view was built for. */
  readonly today: string;
  /** Open follow-ups assigned to the caller due before today, oldest first. */
  readonly overdue: readonly FollowUpView[];
  readonly dueToday: readonly FollowUpView[];
  /** The next few open follow-ups due after today. */
  readonly upcoming: readonly FollowUpView[];
  /** Referrals the caller created, waiting on the partner past the organisation's threshold. */
  readonly staleReferrals: readonly DayReferral[];
  /** The organisation's threshold in days (null: off, so no referral is listed). */
  readonly staleReferralDays: number | null;
  readonly recentlySeen: readonly DayPerson[];
  /** Referrals the caller left in `draft`. */
  readonly drafts: readonly DayReferral[];
}

/** The navigation badge (`GET /api/me/day/counts`). */
export interface DayCounts {
  /** Open follow-ups assigned to the caller due today or earlier. */
  readonly followUpsDue: number;
  readonly staleReferrals: number;
}

/** The earliest calendar day anywhere at `now` (UTC−12), as `YYYY-MM-DD`. */
export function earliestCalendarDay(now: Date): string {
  return new Date(now.getTime() - 12 * 3_600_000).toISOString().slice(0, 10);
}

/** `day` plus `days` calendar days (`YYYY-MM-DD`). */
export function addCalendarDays(day: string, days: number): string {
  const at = new Date(`${day}T00:00:00.000Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}
