import { Injectable } from '@nestjs/common';
import type { CreatePersonRequest, PersonIdentityInput } from '@harbour/domain';
import { ContactRecords } from '../../core/records/contact-records';
import { PersonRecords } from '../../core/records/person-records';
import { actingAs, actingPrincipal } from '../../core/scope/request-scope';
import { Db } from '../../infra/database/transaction';
import { Clock } from '../../infra/time/clock';

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
export class DemoDuplicateSeeder {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly persons: PersonRecords,
    private readonly contacts: ContactRecords,
  ) {}

  async seed(organisationId: string, caseworkerId: string): Promise<number> {
    const principal = actingPrincipal(
      organisationId,
      {
        id: caseworkerId,
        email: 'caseworker@demo.harbour.test',
        displayName: 'caseworker',
        roles: ['caseworker'],
      },
      this.clock.now(),
    );
    const today = this.clock.now().getTime();
    const daysAgo = (days: number): string =>
      new Date(today - days * 86_400_000).toISOString().slice(0, 10);
    return this.db.transaction(organisationId, async (tx) => {
      const scope = actingAs(tx, principal);
      let recorded = 0;
      for (const [i, pair] of DEMO_DUPLICATES.entries()) {
        for (const [j, identity] of [pair.first, pair.second].entries()) {
          const person = await this.persons.create(scope, { identity, ...pair.categories });
          recorded++;
          // The first record months ago, the second a few weeks ago.
          const seen = j === 0 ? 120 + i * 15 : 21 + i * 3;
          await this.contacts.create(scope, {
            personId: person.id,
            occurredOn: daysAgo(seen),
            channel: j === 0 ? 'drop_in' : 'phone',
            locationType: j === 0 ? 'drop_in_centre' : 'online_or_phone',
            peerLed: true,
            notes: 'Synthetic demo note: asked about the clinic; call back on Friday.',
            needs: [{ category: j === 0 ? 'sexual_health' : 'housing', priority: 'medium' }],
          });
        }
      }
      return recorded;
    });
  }
}
