import { Injectable } from '@nestjs/common';
import { KeyWorkersRepository } from '../../data/key-workers/key-workers.repository';
import type { Tx } from '../../infra/database/transaction';
import type { DemoAddition, DemoContext } from './demo-context';

/**
 * Key workers in the demo organisation (development only): each person's usual worker (the demo
 * caseworker or the peer worker) holds them, the coordinator holds some, a few have no key
 * worker yet (to show "become key worker"), and one of the caseworker's people is restricted —
 * the demo caseworker can still reveal them, the peer worker sees the code only.
 */
@Injectable()
export class DemoKeyWorkers implements DemoAddition {
  constructor(private readonly keyWorkers: KeyWorkersRepository) {}

  async seed(tx: Tx, demo: DemoContext): Promise<void> {
    const people = [...demo.people].sort((a, b) => a.code.localeCompare(b.code));
    for (const [i, person] of people.entries()) {
      if ((i + 1) % 8 === 0) continue;
      const staffId = (i + 1) % 6 === 0 ? demo.staff.coordinator : demo.staff[person.worker];
      const since = person.contacts[0] ?? demo.now;
      await this.keyWorkers.assign(
        tx,
        demo.organisationId,
        person.id,
        staffId,
        demo.staff.coordinator,
        since,
      );
    }
    await this.keyWorkers.restrictDemoPerson(
      tx,
      demo.organisationId,
      { caseworkerId: demo.staff.caseworker, coordinatorId: demo.staff.coordinator },
      demo.now,
    );
  }
}
