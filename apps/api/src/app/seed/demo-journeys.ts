import type { NeedCategory, ReferralStatus } from '@harbour/domain';
import type { DemoCalendar } from './demo-calendar';

const DAY = 86_400_000;

/** One planned step of a referral: the status it moves to, and when. */
export interface JourneyStep {
  readonly status: ReferralStatus;
  readonly at: Date;
}

/**
 * How a demo referral goes, as shares of all referrals: most are accepted and completed after
 * days to weeks; some are declined, withdrawn or lose contact; some wait for an answer.
 */
const KINDS: readonly (readonly [Kind, number])[] = [
  ['completed', 0.38],
  ['accepted', 0.08],
  ['declined_by_partner', 0.1],
  ['no_answer', 0.12],
  ['lost_contact', 0.06],
  ['withdrawn', 0.07],
  ['declined_by_client', 0.07],
  ['consented', 0.06],
  ['draft', 0.06],
];
type Kind =
  | 'completed'
  | 'accepted'
  | 'declined_by_partner'
  | 'no_answer'
  | 'lost_contact'
  | 'withdrawn'
  | 'declined_by_client'
  | 'consented'
  | 'draft';

/**
 * The steps of one referral made at `created`, each later than the one before, cut off at
 * `cutoff` (a step not yet due has not happened: a recent referral is earlier in its journey).
 * Consent is recorded minutes after the referral is made, with the person; the partner answers
 * days later, and a service completes after days to weeks, with a long tail. A partner sometimes
 * goes quiet on a referral sent in the last ten weeks: it is still awaiting an answer.
 */
export function planJourney(
  calendar: DemoCalendar,
  random: () => number,
  created: Date,
  cutoff: Date,
): JourneyStep[] {
  let r = random();
  let kind: Kind = 'completed';
  for (const [k, share] of KINDS) {
    if (r < share) {
      kind = k;
      break;
    }
    r -= share;
  }
  const steps: JourneyStep[] = [{ status: 'draft', at: created }];
  const add = (status: ReferralStatus, at: Date) => steps.push({ status, at });
  const last = () => steps[steps.length - 1]!.at;
  if (kind === 'declined_by_client')
    add('declined_by_client', calendar.minutesAfter(created, 5, 90));
  if (kind !== 'draft' && kind !== 'declined_by_client') {
    add('consented', calendar.minutesAfter(created, 2, 40));
  }
  if (kind === 'withdrawn') add('withdrawn', calendar.daysAfter(last(), 5));
  const sends = !['draft', 'declined_by_client', 'consented', 'withdrawn'].includes(kind);
  if (sends) {
    add('sent', calendar.daysAfter(last(), 0.7, 0.9));
    const waited = (cutoff.getTime() - last().getTime()) / DAY;
    const quiet = waited < 75 && random() < 0.4;
    if (kind === 'no_answer' || kind === 'lost_contact') {
      // Old referrals nobody answered are closed as lost contact after some weeks.
      if (kind === 'lost_contact' || waited >= 60)
        add('lost_contact', calendar.daysAfter(last(), 35, 0.3));
    } else if (!quiet) {
      if (kind === 'declined_by_partner') {
        add('declined_by_partner', calendar.daysAfter(last(), 4, 0.7));
      } else {
        add('accepted', calendar.daysAfter(last(), 3, 0.8));
        if (kind === 'completed') add('completed', calendar.daysAfter(last(), 10, 0.9));
      }
    }
  }
  return steps.filter((step) => step.at.getTime() <= cutoff.getTime());
}

/** The partner (index in `PARTNERS`) that fits a need best, or any partner. */
export function partnerFor(category: NeedCategory, random: () => number, partners: number): number {
  const fits: Partial<Record<NeedCategory, number[]>> = {
    legal: [0, 0, 5],
    workplace_rights: [0, 5],
    sexual_health: [1],
    health: [1],
    drug_harm_reduction: [1],
    migration_visa: [2, 2, 5],
    housing: [3],
    mental_health: [4],
    safety: [5, 3],
    debt_contract: [6, 0],
    financial: [6],
    repatriation: [7, 2],
  };
  const choices = fits[category];
  if (choices === undefined) return Math.floor(random() * partners);
  return choices[Math.floor(random() * choices.length)]!;
}
