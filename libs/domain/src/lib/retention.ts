/**
 * Retention (docs/design.md §9): per organisation and record class, how long Harbour keeps
 * records before a purge removes them (or, for people, crypto-shreds them exactly as erasure
 * does). A dry run lists what a purge at the same moment would remove: counts per class, the
 * oldest and newest dates, and the pseudonymous codes of people — never an identity.
 */

/**
 * The record classes, in the order a purge handles them:
 * - `inactive_people`: people with no contact, no open referral, no referral closed and no open
 *   follow-up for the period, and no change to their record → crypto-shredded (as erasure).
 * - `closed_referrals`: referrals closed longer ago than the period, with their history and
 *   their closed follow-ups.
 * - `contacts`: contacts that happened longer ago than the period, with their amendments and the
 *   needs recorded on an anonymous contact (a person's needs stay with the person).
 * - `access_events`: access events older than the period that a signed checkpoint covers (the
 *   log stays verifiable; ADR 0011).
 * - `idempotency_records`: expired Idempotency-Key records older than the period.
 * - `expired_sessions`: sign-in sessions that ended (expired or revoked) longer ago than the period.
 * - `throttle_rows`: sign-in throttle rows idle for the period, never one holding a delay or a lock.
 */
export const RETENTION_CLASSES = [
  'inactive_people',
  'closed_referrals',
  'contacts',
  'access_events',
  'idempotency_records',
  'expired_sessions',
  'throttle_rows',
] as const;

export type RetentionClass = (typeof RETENTION_CLASSES)[number];

export type RetentionUnit = 'months' | 'days';

/** The rules of one class: its unit, default, the bounds an admin may choose, and "forever". */
export interface RetentionRule {
  readonly unit: RetentionUnit;
  readonly defaultKeep: number;
  readonly min: number;
  readonly max: number;
  /** Whether `null` (keep forever) is allowed. */
  readonly foreverAllowed: boolean;
}

/**
 * Defaults and bounds. People: two years without activity. Closed referrals: two years.
 * Contacts: five years (reports over closed quarters are frozen once published; ADR 0007).
 * Access events: seven years. Operational rows: days. Keeping forever is allowed only where an
 * organisation may have a duty to keep (closed referrals, contacts, the access log).
 */
export const RETENTION_RULES: Readonly<Record<RetentionClass, RetentionRule>> = {
  inactive_people: { unit: 'months', defaultKeep: 24, min: 3, max: 120, foreverAllowed: false },
  closed_referrals: { unit: 'months', defaultKeep: 24, min: 3, max: 120, foreverAllowed: true },
  contacts: { unit: 'months', defaultKeep: 60, min: 12, max: 240, foreverAllowed: true },
  access_events: { unit: 'months', defaultKeep: 84, min: 12, max: 240, foreverAllowed: true },
  idempotency_records: { unit: 'days', defaultKeep: 2, min: 1, max: 30, foreverAllowed: false },
  expired_sessions: { unit: 'days', defaultKeep: 30, min: 1, max: 365, foreverAllowed: false },
  throttle_rows: { unit: 'days', defaultKeep: 7, min: 1, max: 90, foreverAllowed: false },
};

/** One class's setting: how many units to keep (null: keep forever). */
export interface RetentionPolicyView {
  readonly class: RetentionClass;
  readonly unit: RetentionUnit;
  readonly keep: number | null;
  /** Whether the organisation has chosen it (false: the default applies). */
  readonly isDefault: boolean;
  readonly defaultKeep: number;
  readonly min: number;
  readonly max: number;
  readonly foreverAllowed: boolean;
}

/** `GET /api/retention`: every class, defaults filled in, and the version to send back. */
export interface RetentionSettingsView {
  readonly version: number;
  readonly policies: readonly RetentionPolicyView[];
}

/** `PUT /api/retention`: every class given is set; the others keep their current value. */
export interface UpdateRetentionSettingsRequest {
  readonly version: number;
  readonly policies: readonly { readonly class: RetentionClass; readonly keep: number | null }[];
}

/** What a purge at one moment removes (dry run) or removed (real run) in one class. */
export interface RetentionClassResult {
  readonly class: RetentionClass;
  /** The setting used (null: kept forever, nothing listed). */
  readonly keep: number | null;
  readonly count: number;
  /** ISO timestamps of the oldest and newest record listed (by the date the period runs from). */
  readonly oldest: string | null;
  readonly newest: string | null;
  /** Pseudonymous codes (people only). */
  readonly codes?: readonly string[];
}

/** `POST /api/retention/dry-run`. */
export interface RetentionDryRun {
  /** The moment the dry run was taken at (a real run at the same moment removes exactly this). */
  readonly at: string;
  readonly classes: readonly RetentionClassResult[];
}

export const PURGE_TRIGGERS = ['job', 'cli', 'admin'] as const;

export type PurgeTrigger = (typeof PURGE_TRIGGERS)[number];

/** A recorded purge run: counts per class, never an identity or a code. */
export interface PurgeRunView {
  readonly id: string;
  readonly trigger: PurgeTrigger;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly counts: Readonly<Partial<Record<RetentionClass, number>>>;
}

export function isRetentionClass(value: unknown): value is RetentionClass {
  return typeof value === 'string' && (RETENTION_CLASSES as readonly string[]).includes(value);
}

/**
 * Why `keep` is not a valid setting for `cls`, or null when it is: `forever` (null where keeping
 * forever is not allowed), `integer`, `min`, `max`.
 */
export function retentionKeepProblem(
  cls: RetentionClass,
  keep: number | null,
): 'forever' | 'integer' | 'min' | 'max' | null {
  const rule = RETENTION_RULES[cls];
  if (keep === null) return rule.foreverAllowed ? null : 'forever';
  if (!Number.isSafeInteger(keep)) return 'integer';
  if (keep < rule.min) return 'min';
  if (keep > rule.max) return 'max';
  return null;
}

/**
 * The moment before which records of a class with this setting are due at `now`: `keep` months
 * (calendar months in UTC, the day clamped to the month's end) or days before `now`.
 */
export function retentionCutoff(now: Date, unit: RetentionUnit, keep: number): Date {
  if (unit === 'days') return new Date(now.getTime() - keep * 86_400_000);
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth() - keep;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(
      year,
      month,
      Math.min(now.getUTCDate(), lastDay),
      now.getUTCHours(),
      now.getUTCMinutes(),
      now.getUTCSeconds(),
      now.getUTCMilliseconds(),
    ),
  );
}
