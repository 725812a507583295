import { Injectable } from '@nestjs/common';
import type { CreatePersonRequest, PersonIdentityInput } from '@harbour/domain';
import { ContactRecords } from '../../core/records/contact-records';
import { PersonRecords } from '../../core/records/person-records';
import type { Tx } from '../../infra/database/transaction';
import type { DemoAddition, DemoContext } from './demo-context';

/**
 * The same person recorded twice, as happens on a busy night: a spelling difference, diacritics
 * dropped on a phone keyboard, a doubled letter. Synthetic names only (none is a canary name).
 * Each pair matches on the name pair, the SLK-581 or the phone, so the duplicate warning finds
 * it and a coordinator can merge it.
 */
export const DEMO_DUPLICATES: readonly {
  readonly first: PersonIdentityInput;
  readonly second: PersonIdentityInput;
  readonly categories: Omit<CreatePersonRequest, 'identity'>;
}[] = [
  {
    first: {
      givenName: 'Kannika',
      familyName: 'Boonsri',
      dateOfBirth: '1991-05-14',
      sex: 'female',
    },
    second: {
      givenName: 'Kanika',
      familyName: 'Boonsri',
      dateOfBirth: '1991-05-14',
      sex: 'female',
    },
    categories: { regionOfOrigin: 'south_eastern_asia', languageGroup: 'thai' },
  },
  {
    first: { givenName: 'Thu Hằng', familyName: 'Nguyễn', phone: '+61 412 555 101' },
    second: {
      givenName: 'Thu Hang',
      familyName: 'Nguyen',
      alias: 'Hằng',
      phone: '+61 412 555 101',
    },
    categories: { regionOfOrigin: 'south_eastern_asia', languageGroup: 'vietnamese' },
  },
  {
    first: { givenName: 'Ioana', familyName: 'Petrescu', phone: '+61 433 555 207' },
    second: { givenName: 'Ioanna', familyName: 'Petrescu', phone: '+61 433 555 207' },
    categories: { regionOfOrigin: 'eastern_europe', languageGroup: 'romanian' },
  },
];

/**
 * Demo duplicates (development only): each pair recorded weeks apart, each record with contacts
 * of its own, so merging them shows a combined timeline.
 */
@Injectable()
export class DemoDuplicates implements DemoAddition {
  constructor(
    private readonly persons: PersonRecords,
    private readonly contacts: ContactRecords,
  ) {}

  async seed(tx: Tx, demo: DemoContext): Promise<void> {
    const scope = demo.as(tx, 'caseworker');
    const today = demo.now.getTime();
    for (const [i, pair] of DEMO_DUPLICATES.entries()) {
      for (const [j, identity] of [pair.first, pair.second].entries()) {
        const person = await this.persons.create(scope, { identity, ...pair.categories });
        // The first record months ago, the second a few weeks ago; written up that evening.
        const seen = new Date(today - (j === 0 ? 120 + i * 15 : 21 + i * 3) * 86_400_000);
        const contact = await this.contacts.create(scope, {
          personId: person.id,
          occurredOn: seen.toISOString().slice(0, 10),
          channel: j === 0 ? 'drop_in' : 'phone',
          locationType: j === 0 ? 'drop_in_centre' : 'online_or_phone',
          peerLed: true,
          notes: 'Synthetic demo note: asked about the clinic; call back on Friday.',
          needs: [{ category: j === 0 ? 'sexual_health' : 'housing', priority: 'medium' }],
        });
        const writtenUp = new Date(seen.getTime() + 18 * 3_600_000);
        demo.timeline.people.push({ id: person.id, createdAt: writtenUp, updatedAt: writtenUp });
        demo.timeline.contacts.push({ id: contact.id, createdAt: writtenUp });
      }
    }
  }
}
