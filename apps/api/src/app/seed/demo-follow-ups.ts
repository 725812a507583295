import { Injectable } from '@nestjs/common';
import { addCalendarDays, RECENTLY_SEEN_DAYS } from '@harbour/domain';
import { actingAs, actingPrincipal } from '../../core/scope/request-scope';
import { FollowUpsRepository } from '../../data/follow-ups/follow-ups.repository';
import { Db } from '../../infra/database/transaction';
import { Clock } from '../../infra/time/clock';
import { FollowUpsService } from '../follow-ups/follow-ups.service';

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

export interface DemoFollowUpCounts {
  readonly overdue: number;
  readonly dueToday: number;
  readonly upcoming: number;
  readonly done: number;
}

/**
 * Follow-ups for the demo caseworker (development only): some overdue, a couple due today, some
 * coming up and one done, on people they have seen — written through the follow-ups service, so
 * their text is sealed under each person's key as real data would be. Overdue ones are dated back
 * as if made days ago.
 */
@Injectable()
export class DemoFollowUpSeeder {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly followUps: FollowUpsService,
    private readonly rows: FollowUpsRepository,
  ) {}

  async seed(organisationId: string, caseworkerId: string): Promise<DemoFollowUpCounts> {
    const now = this.clock.now();
    const today = now.toISOString().slice(0, 10);
    const principal = actingPrincipal(
      organisationId,
      {
        id: caseworkerId,
        email: 'caseworker@demo.harbour.test',
        displayName: 'caseworker',
        roles: ['caseworker'],
      },
      now,
    );
    return this.db.transaction(organisationId, async (tx) => {
      const scope = actingAs(tx, principal);
      // People the caseworker has seen in the last year (most recent first).
      const people = await this.rows.recentlySeen(
        tx,
        organisationId,
        caseworkerId,
        addCalendarDays(today, -RECENTLY_SEEN_DAYS * 26),
      );
      const counts = { overdue: 0, dueToday: 0, upcoming: 0, done: 0 };
      if (people.length === 0) return counts;
      for (const [i, demo] of DEMO_FOLLOW_UPS.entries()) {
        const due = addCalendarDays(today, demo.in);
        const made = await this.followUps.create(scope, {
          personId: people[i % people.length]!.person_id,
          text: demo.text,
          dueOn: due < today ? today : due,
        });
        if (due < today) await this.rows.setDueOn(tx, organisationId, made.id, due);
        if (demo.done === true) {
          await this.followUps.update(scope, made.id, { version: made.version, action: 'done' });
          counts.done++;
        } else if (due < today) counts.overdue++;
        else if (due === today) counts.dueToday++;
        else counts.upcoming++;
      }
      return counts;
    });
  }
}
