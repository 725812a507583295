import { Injectable } from '@nestjs/common';
import { addCalendarDays } from '@harbour/domain';
import { FollowUpsRepository } from '../../data/follow-ups/follow-ups.repository';
import type { Tx } from '../../infra/database/transaction';
import { FollowUpsService } from '../follow-ups/follow-ups.service';
import type { DemoAddition, DemoContext, DemoPersonFacts } from './demo-context';

/** What the demo caseworker has on their list: days from today (negative: overdue). */
const DEMO_FOLLOW_UPS: readonly { text: string; in: number; done?: true }[] = [
  { text: 'Call back about the sexual health clinic appointment', in: -8 },
  { text: 'Check whether the legal aid letter has arrived', in: -3 },
  { text: 'Ask how the first counselling session went', in: -1 },
  { text: 'Bring the housing forms to the drop-in', in: 0 },
  { text: 'Remind about the migration advice appointment tomorrow', in: 0 },
  { text: 'Follow up on the embassy appointment', in: 2 },
  { text: 'Check in after the court date', in: 5 },
  { text: 'Call back about the clinic on Friday', in: 9 },
  { text: 'Pass on the interpreter booking', in: -2, done: true },
];

/**
 * Follow-ups for the demo caseworker (development only): some overdue, a couple due today, some
 * coming up and one done, on the people they saw most recently — written through the follow-ups
 * service, so their text is sealed under each person's key as real data would be. Overdue ones
 * are dated back as if made days ago.
 */
@Injectable()
export class DemoFollowUps implements DemoAddition {
  constructor(
    private readonly followUps: FollowUpsService,
    private readonly rows: FollowUpsRepository,
  ) {}

  async seed(tx: Tx, demo: DemoContext): Promise<void> {
    const today = demo.now.toISOString().slice(0, 10);
    const scope = demo.as(tx, 'caseworker');
    const lastSeen = (p: DemoPersonFacts): number =>
      Math.max(0, ...p.contacts.map((at) => at.getTime()));
    const people = demo.people
      .filter((p) => p.worker === 'caseworker' && p.erasedAt === null && p.contacts.length > 0)
      .sort((a, b) => lastSeen(b) - lastSeen(a));
    if (people.length === 0) return;
    for (const [i, planned] of DEMO_FOLLOW_UPS.entries()) {
      const due = addCalendarDays(today, planned.in);
      const made = await this.followUps.create(scope, {
        personId: people[i % people.length]!.id,
        text: planned.text,
        dueOn: due < today ? today : due,
      });
      if (due < today) await this.rows.setDueOn(tx, demo.organisationId, made.id, due);
      if (planned.done === true)
        await this.followUps.update(scope, made.id, { version: made.version, action: 'done' });
    }
  }
}
