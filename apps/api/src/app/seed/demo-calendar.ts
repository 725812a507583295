import type { ContactChannel } from '@harbour/domain';

const DAY = 86_400_000;
const MINUTE = 60_000;

/** A small seeded generator, so every demo database holds the same synthetic year. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A generator seeded by a label, so each part of the demo draws its own reproducible numbers. */
export function seededBy(label: string): () => number {
  let hash = 0x811c9dc5;
  for (const ch of label) hash = Math.imul(hash ^ ch.codePointAt(0)!, 0x01000193) >>> 0;
  return mulberry32(hash);
}

/** Outreach evenings: Tuesday and Thursday nights (UTC day of week). */
export const OUTREACH_WEEKDAYS: readonly number[] = [2, 4];

/**
 * The demo organisation's year, relative to the seed's clock: which days work happens on
 * (more on outreach evenings, less at weekends, a surge in the fortnight after a raid), at
 * which hours each channel is used, and how long things take. Pure and seeded: the same clock
 * and generator give the same year.
 */
export class DemoCalendar {
  /** Midnight (UTC) of the first day of the year covered: 365 days before the clock's day. */
  readonly start: Date;
  /** The day of the raid (midnight UTC), some five months before the clock. */
  readonly raidDay: Date;
  private readonly cumulative: number[] = [];

  constructor(
    readonly now: Date,
    private readonly random: () => number,
  ) {
    const today = Math.floor(now.getTime() / DAY) * DAY;
    this.start = new Date(today - 365 * DAY);
    this.raidDay = new Date(today - (140 + Math.floor(random() * 40)) * DAY);
    let total = 0;
    for (let d = 0; d < 365; d++) {
      total += this.weight(new Date(this.start.getTime() + d * DAY));
      this.cumulative.push(total);
    }
  }

  /** How busy a day is, relative to an ordinary weekday. */
  weight(day: Date): number {
    const weekday = day.getUTCDay();
    const base = OUTREACH_WEEKDAYS.includes(weekday)
      ? 2.2
      : weekday === 6
        ? 0.35
        : weekday === 0
          ? 0.2
          : 1;
    const sinceRaid = (day.getTime() - this.raidDay.getTime()) / DAY;
    return sinceRaid >= 0 && sinceRaid < 14 ? base * (1 + 4 * Math.exp(-sinceRaid / 4)) : base;
  }

  isOutreachEvening(day: Date): boolean {
    return OUTREACH_WEEKDAYS.includes(day.getUTCDay());
  }

  isWeekend(day: Date): boolean {
    return day.getUTCDay() === 0 || day.getUTCDay() === 6;
  }

  /** Days after the raid (negative before it). */
  daysSinceRaid(day: Date): number {
    return Math.round((day.getTime() - this.raidDay.getTime()) / DAY);
  }

  /** A day of the year (midnight UTC), as likely as it is busy; `from` limits it to later days. */
  day(from?: Date): Date {
    const first = from === undefined ? 0 : this.index(from);
    const low = first === 0 ? 0 : this.cumulative[first - 1]!;
    const target = low + this.random() * (this.cumulative[364]! - low);
    let lo = first;
    let hi = 364;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return new Date(this.start.getTime() + lo * DAY);
  }

  /**
   * The day someone comes back after `day`: weeks later typically (log-normal around
   * `medianDays`, from a couple of days to months), most often not at a weekend.
   */
  returnDay(day: Date, medianDays: number): Date {
    const gap = Math.max(2, Math.round(medianDays * Math.exp(0.9 * this.normal())));
    let next = new Date(Math.floor(day.getTime() / DAY + gap) * DAY);
    if (this.isWeekend(next) && this.random() < 0.7) {
      next = new Date(next.getTime() + (next.getUTCDay() === 6 ? 2 : 1) * DAY);
    }
    return next;
  }

  /** A channel that fits the day: outreach visits on outreach evenings, phones at weekends. */
  channel(day: Date): ContactChannel {
    const r = this.random();
    if (this.isWeekend(day)) return r < 0.45 ? 'phone' : r < 0.8 ? 'text' : 'online';
    if (this.isOutreachEvening(day) && r < 0.5) return 'outreach_visit';
    const rest: ContactChannel[] = ['drop_in', 'drop_in', 'in_person', 'phone', 'text', 'online'];
    return rest[Math.floor(this.random() * rest.length)]!;
  }

  /** When on `day` a contact by `channel` happens: evenings for outreach, office hours else. */
  at(day: Date, channel: ContactChannel): Date {
    const [from, to] =
      channel === 'outreach_visit'
        ? [19 * 60, 23 * 60 + 30]
        : channel === 'drop_in'
          ? [10 * 60, 16 * 60 + 30]
          : channel === 'in_person'
            ? [9 * 60 + 30, 17 * 60 + 30]
            : [8 * 60 + 30, 21 * 60 + 30];
    const minute = from + Math.floor(this.random() * (to - from));
    return new Date(day.getTime() + minute * MINUTE);
  }

  /** When a contact at `at` is written down: minutes later, or the next morning after a night. */
  entered(at: Date, channel: ContactChannel): Date {
    if (channel === 'outreach_visit' && this.random() < 0.25) {
      const nextMorning = Math.floor(at.getTime() / DAY + 1) * DAY + 9 * 60 * MINUTE;
      return new Date(nextMorning + Math.floor(this.random() * 120) * MINUTE);
    }
    return this.minutesAfter(at, 5, 60);
  }

  /** A moment `min` to `max` minutes after `at`. */
  minutesAfter(at: Date, min: number, max: number): Date {
    return new Date(at.getTime() + (min + Math.floor(this.random() * (max - min))) * MINUTE);
  }

  /**
   * A moment some days after `at` (log-normal: half within `medianDays`, a long tail; at least
   * an hour), moved into office hours (09:00–17:30) on a weekday.
   */
  daysAfter(at: Date, medianDays: number, spread = 0.8): Date {
    const days = Math.max(1 / 24, medianDays * Math.exp(spread * this.normal()));
    return this.officeHours(new Date(at.getTime() + days * DAY));
  }

  /** The same moment, or the next office hour on a weekday after it. */
  officeHours(at: Date): Date {
    let t = at;
    const minuteOfDay = () => Math.floor((t.getTime() % DAY) / MINUTE);
    if (minuteOfDay() < 9 * 60) t = new Date(Math.floor(t.getTime() / DAY) * DAY + 9 * 60 * MINUTE);
    if (minuteOfDay() > 17 * 60 + 30) {
      t = new Date(Math.floor(t.getTime() / DAY + 1) * DAY + 9 * 60 * MINUTE);
    }
    while (this.isWeekend(t)) t = new Date(t.getTime() + DAY);
    if (t.getTime() !== at.getTime()) t = this.minutesAfter(t, 0, 90);
    return t;
  }

  /** Whole days between midnight UTC of the year's start and `at`, within the year. */
  private index(at: Date): number {
    return Math.min(364, Math.max(0, Math.floor((at.getTime() - this.start.getTime()) / DAY)));
  }

  /** A standard normal number (Box–Muller). */
  private normal(): number {
    const u = Math.max(this.random(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.random());
  }
}
