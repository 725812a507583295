import type { ContactView, ReferralEventView, ReferralView } from '@harbour/domain';

/** One line of a person's timeline: a contact (with its needs) or a step of a referral. */
export type TimelineEntry =
  | { readonly kind: 'contact'; readonly date: string; readonly contact: ContactView }
  | {
      readonly kind: 'referral';
      readonly date: string;
      readonly referral: ReferralView;
      readonly event: ReferralEventView;
    };

/**
 * A person's contacts and referral steps, newest first. Contacts carry a calendar day and
 * referral steps a time, so entries compare by day first; on the same day a referral step
 * (which follows from a contact) comes before the contact, and steps keep their order in time.
 */
export function buildTimeline(
  contacts: readonly ContactView[],
  referrals: readonly ReferralView[],
): TimelineEntry[] {
  const entries: TimelineEntry[] = [
    ...contacts.map((contact) => ({ kind: 'contact' as const, date: contact.occurredOn, contact })),
    ...referrals.flatMap((referral) =>
      referral.history.map((event) => ({
        kind: 'referral' as const,
        date: event.at,
        referral,
        event,
      })),
    ),
  ];
  return entries.sort(newestFirst);
}

function newestFirst(a: TimelineEntry, b: TimelineEntry): number {
  const day = b.date.slice(0, 10).localeCompare(a.date.slice(0, 10));
  if (day !== 0) return day;
  if (a.kind !== b.kind) return a.kind === 'referral' ? -1 : 1;
  if (a.kind === 'contact' && b.kind === 'contact')
    return b.contact.createdAt.localeCompare(a.contact.createdAt);
  return b.date.localeCompare(a.date);
}
