import { DemoCalendar, mulberry32, seededBy } from './demo-calendar';
import { planJourney } from './demo-journeys';

const DAY = 86_400_000;
const NOW = new Date('2026-11-20T15:00:00Z');

describe('demo calendar', () => {
  it('draws the same year from the same clock and seed, and another from another seed', () => {
    const days = (seed: number) => {
      const calendar = new DemoCalendar(NOW, mulberry32(seed));
      return Array.from({ length: 50 }, () => calendar.day().toISOString());
    };
    expect(days(7)).toEqual(days(7));
    expect(days(7)).not.toEqual(days(8));
    expect(seededBy('follow-ups')()).toBe(seededBy('follow-ups')());
    expect(seededBy('follow-ups')()).not.toBe(seededBy('key-workers')());
  });

  it('keeps every day within the year before the clock, busier on outreach evenings and after the raid', () => {
    const calendar = new DemoCalendar(NOW, mulberry32(1));
    const byWeekday = Array.from({ length: 7 }, () => 0);
    let afterRaid = 0;
    let outside = 0;
    for (let i = 0; i < 20_000; i++) {
      const day = calendar.day();
      if (day.getTime() < NOW.getTime() - 366 * DAY || day.getTime() > NOW.getTime()) outside++;
      byWeekday[day.getUTCDay()]!++;
      const since = calendar.daysSinceRaid(day);
      if (since >= 0 && since < 14) afterRaid++;
    }
    expect(outside).toBe(0);
    // Tuesday and Thursday (outreach) above Monday, Monday above Saturday above Sunday.
    expect(byWeekday[2]).toBeGreaterThan(1.6 * byWeekday[1]!);
    expect(byWeekday[4]).toBeGreaterThan(1.6 * byWeekday[3]!);
    expect(byWeekday[1]).toBeGreaterThan(2 * byWeekday[6]!);
    expect(byWeekday[6]).toBeGreaterThan(byWeekday[0]!);
    // The raid's fortnight is 4 % of the year's days and holds far more of its work.
    expect(afterRaid / 20_000).toBeGreaterThan(0.08);
    const sinceRaid = (NOW.getTime() - calendar.raidDay.getTime()) / DAY;
    expect(sinceRaid).toBeGreaterThanOrEqual(140);
    expect(sinceRaid).toBeLessThan(181);
  });

  it('puts outreach at night and office work in office hours on weekdays', () => {
    const calendar = new DemoCalendar(NOW, mulberry32(2));
    const anywhere = mulberry32(20);
    const wrong: string[] = [];
    for (let i = 0; i < 2_000; i++) {
      const day = calendar.day();
      const night = calendar.at(day, 'outreach_visit').getUTCHours();
      if (night < 19 || night > 23) wrong.push(`outreach at ${night}h`);
      const office = calendar.officeHours(new Date(day.getTime() + anywhere() * DAY));
      const minute = office.getUTCHours() * 60 + office.getUTCMinutes();
      if (minute < 9 * 60 || minute > 19 * 60) wrong.push(`office work at minute ${minute}`);
      if (calendar.isWeekend(office)) wrong.push('office work at a weekend');
    }
    expect(wrong).toEqual([]);
  });
});

describe('demo referral journeys', () => {
  it('moves forward in time, step by step, never past the cut-off, with outcomes days to weeks later', () => {
    const random = mulberry32(3);
    const calendar = new DemoCalendar(NOW, random);
    const cutoff = new Date(NOW.getTime() - 3_600_000);
    const outcomes: number[] = [];
    const lastSteps = new Set<string>();
    const wrong: string[] = [];
    for (let i = 0; i < 3_000; i++) {
      const created = new Date(calendar.day().getTime() + 11 * 3_600_000);
      if (created > cutoff) continue;
      const steps = planJourney(calendar, random, created, cutoff);
      if (steps[0]!.status !== 'draft' || steps[0]!.at !== created) wrong.push(`${i}: draft`);
      for (let s = 1; s < steps.length; s++) {
        if (steps[s]!.at <= steps[s - 1]!.at) wrong.push(`${i}: ${steps[s]!.status} too early`);
      }
      if (steps[steps.length - 1]!.at > cutoff) wrong.push(`${i}: after the cut-off`);
      lastSteps.add(steps[steps.length - 1]!.status);
      const consented = steps.find((s) => s.status === 'consented');
      if (consented !== undefined && consented.at.getTime() - created.getTime() >= 3_600_000) {
        wrong.push(`${i}: consent recorded late`);
      }
      const done = steps.find((s) => s.status === 'completed');
      if (done !== undefined) outcomes.push((done.at.getTime() - created.getTime()) / DAY);
    }
    expect(wrong).toEqual([]);
    outcomes.sort((a, b) => a - b);
    const median = outcomes[Math.floor(outcomes.length / 2)]!;
    expect(median).toBeGreaterThan(7);
    expect(median).toBeLessThan(40);
    expect(outcomes[0]).toBeGreaterThan(0.1);
    // A long tail: some take well over a month.
    expect(outcomes.filter((d) => d > 45).length).toBeGreaterThan(outcomes.length / 50);
    expect([...lastSteps].sort()).toEqual(
      [
        'accepted',
        'completed',
        'consented',
        'declined_by_client',
        'declined_by_partner',
        'draft',
        'lost_contact',
        'sent',
        'withdrawn',
      ].sort(),
    );
  });
});
