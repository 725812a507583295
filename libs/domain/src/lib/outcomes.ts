import type { ReportMeta, ReportTable } from './reports';

/**
 * Outcomes the person rates (docs/design.md §3): a check-in is the person and their worker
 * going through a few areas of life together, each rated by the person on a short scale — the
 * way the Assessment of Survivor Outcomes asks survivors themselves where they stand, rather
 * than a worker's judgement. Class C: the ratings and the date, no identity, no free text.
 */

/** The areas of life a check-in covers, in the order the form asks them. */
export const OUTCOME_DOMAINS = [
  'safety',
  'legal_status',
  'health_wellbeing',
  'work_money',
  'housing',
  'social_support',
] as const;
export type OutcomeDomain = (typeof OUTCOME_DOMAINS)[number];

/** The scale: 1 (worst) to 5 (best), each with a plain-language anchor in the console. */
export const OUTCOME_RATINGS = [1, 2, 3, 4, 5] as const;
export type OutcomeRating = (typeof OUTCOME_RATINGS)[number];
export const MIN_OUTCOME_RATING = 1;
export const MAX_OUTCOME_RATING = 5;

/** A domain's rating, or null when it was not discussed (skipped) at this check-in. */
export type OutcomeRatings = Readonly<Record<OutcomeDomain, OutcomeRating | null>>;

export interface RecordCheckInRequest {
  /** YYYY-MM-DD: not in the future, not before the person's record was created. */
  readonly checkedOn: string;
  /** Every domain: a rating, or null for not discussed. At least one domain is rated. */
  readonly ratings: OutcomeRatings;
}

export interface CheckInView {
  readonly id: string;
  readonly personId: string;
  readonly checkedOn: string;
  readonly ratings: OutcomeRatings;
  readonly createdBy: string;
  readonly createdAt: string;
}

/** How a domain moved between a check-in and the person's previous one that rated it. */
export const OUTCOME_CHANGES = ['improved', 'same', 'worsened'] as const;
export type OutcomeChange = (typeof OUTCOME_CHANGES)[number];

export function outcomeChange(previous: OutcomeRating, latest: OutcomeRating): OutcomeChange {
  if (latest > previous) return 'improved';
  if (latest < previous) return 'worsened';
  return 'same';
}

/** Whether a value is a rating on the scale. */
export function isOutcomeRating(value: unknown): value is OutcomeRating {
  return (
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value >= MIN_OUTCOME_RATING &&
    value <= MAX_OUTCOME_RATING
  );
}

/**
 * Per domain, a person's latest rating and the one before it (the check-ins newest first, as
 * the API lists them): what the person page shows as a trend.
 */
export function latestTrend(
  checkIns: readonly Pick<CheckInView, 'ratings'>[],
): Record<
  OutcomeDomain,
  { latest: OutcomeRating | null; previous: OutcomeRating | null; change: OutcomeChange | null }
> {
  const out = {} as Record<
    OutcomeDomain,
    { latest: OutcomeRating | null; previous: OutcomeRating | null; change: OutcomeChange | null }
  >;
  for (const domain of OUTCOME_DOMAINS) {
    const rated = checkIns
      .map((c) => c.ratings[domain])
      .filter((r): r is OutcomeRating => r !== null);
    const latest = rated[0] ?? null;
    const previous = rated[1] ?? null;
    out[domain] = {
      latest,
      previous,
      change: latest !== null && previous !== null ? outcomeChange(previous, latest) : null,
    };
  }
  return out;
}

/**
 * The coordinator report "change over time per domain" (docs/adr/0007, disclosure control like
 * every report). Its unit is a follow-up rating: a domain rated at a check-in by someone who had
 * rated it before. Each is compared with the person's previous rating of that domain (the latest
 * check-in dated on or before it among those entered before it, so the comparison is fixed when
 * the check-in is entered) and counted in the month the check-in was entered. A quarter's
 * follow-up ratings are protected once, like every report's, and a year adds its quarters up —
 * which a "first and latest check-in in the period" count could not do without a year and its
 * quarters being played against each other.
 */
export interface OutcomeChangeReport {
  readonly meta: ReportMeta;
  /** Follow-up ratings, domain × improved / same / worsened (row totals: per domain). */
  readonly byChange: ReportTable;
  /** The same, domain × month entered. */
  readonly byMonth: ReportTable;
  /** The same, domain × quarter (each quarter's own published totals). */
  readonly byQuarter: ReportTable;
  /** Per domain: improved ÷ follow-up ratings and worsened ÷ follow-up ratings, null when hidden. */
  readonly shares: readonly {
    readonly domain: OutcomeDomain;
    readonly improved: number | null;
    readonly worsened: number | null;
  }[];
}
