import { Injectable } from '@nestjs/common';
import type { Tx } from '../../infra/database/transaction';
import { PersonRecords } from '../../core/records/person-records';
import { DemoCalendar } from './demo-calendar';
import type { DemoAddition, DemoContext } from './demo-context';

const DAY = 86_400_000;

/**
 * Two people of the demo erased at their request, some weeks after their last contact and the
 * last step of their referrals: identity and notes shredded, the pseudonymous record kept for
 * statistics. Last of the demo's additions, so that nothing is added for them after it.
 */
@Injectable()
export class DemoErasures implements DemoAddition {
  constructor(private readonly persons: PersonRecords) {}

  async seed(tx: Tx, demo: DemoContext): Promise<void> {
    const random = demo.random('erasures');
    const calendar = new DemoCalendar(demo.now, random);
    const cutoff = demo.now.getTime() - 3_600_000;
    let erased = 0;
    for (const [i, person] of demo.people.entries()) {
      if (erased >= 2 || !person.identified || person.erasedAt !== null) continue;
      const last = Math.max(
        ...person.contacts.map((at) => at.getTime()),
        ...demo.referrals
          .filter((r) => r.personId === person.id)
          .map((r) => r.lastEventAt.getTime()),
      );
      if (cutoff - last < 90 * DAY) continue;
      const erasedAt = calendar.daysAfter(new Date(last), 20, 0.4);
      if (erasedAt.getTime() > cutoff) continue;
      const scope = demo.as(tx, 'coordinator');
      const { version } = await this.persons.view(tx, scope.organisationId, person.id);
      await this.persons.erase(scope, person.id, version);
      demo.people[i] = { ...person, identified: false, erasedAt };
      const planned = demo.timeline.people.findIndex((p) => p.id === person.id);
      demo.timeline.people[planned] = { ...demo.timeline.people[planned]!, updatedAt: erasedAt };
      erased++;
    }
  }
}
