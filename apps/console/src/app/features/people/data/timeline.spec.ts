import type { ContactView, ReferralView } from '@harbour/domain';
import { buildTimeline } from './timeline';

function contact(id: string, occurredOn: string, createdAt: string): ContactView {
  return {
    id,
    kind: 'individual',
    personId: 'p',
    personCode: null,
    headcount: 1,
    occurredOn,
    channel: 'phone',
    locationType: 'online_or_phone',
    languageGroup: null,
    interpreterUsed: false,
    peerLed: false,
    circumstances: [],
    hasNotes: false,
    caseworkerId: 'c',
    createdAt,
    needs: [],
    amended: false,
  };
}

function referral(id: string, times: readonly string[]): ReferralView {
  return {
    id,
    needId: 'n',
    personId: 'p',
    partnerId: 'x',
    status: 'sent',
    consent: null,
    consentOverridden: false,
    createdAt: times[0] ?? '',
    closedAt: null,
    version: times.length,
    history: times.map((at, i) => ({
      from: i === 0 ? null : 'draft',
      to: i === 0 ? 'draft' : 'consented',
      at,
      actorId: 'c',
    })),
  };
}

describe('buildTimeline', () => {
  it('puts the newest day first, referral steps before that day’s contacts, steps in time order', () => {
    const entries = buildTimeline(
      [
        contact('old', '2026-01-02', '2026-01-02T10:00:00Z'),
        contact('a', '2026-03-04', '2026-03-04T09:00:00Z'),
        contact('b', '2026-03-04', '2026-03-04T11:00:00Z'),
      ],
      [referral('r', ['2026-03-04T12:00:00Z', '2026-03-05T08:00:00Z'])],
    );
    expect(
      entries.map((e) => (e.kind === 'contact' ? e.contact.id : `r@${e.date.slice(0, 13)}`)),
    ).toEqual(['r@2026-03-05T08', 'r@2026-03-04T12', 'b', 'a', 'old']);
  });

  it('is empty for a person with no records', () => {
    expect(buildTimeline([], [])).toEqual([]);
  });
});
