import { Injectable } from '@nestjs/common';
import { RETENTION_RULES, retentionCutoff } from '@harbour/domain';
import { PersonRecords } from '../../core/records/person-records';
import type { Tx } from '../../infra/database/transaction';
import type { DemoAddition, DemoContext } from './demo-context';

const DAY = 86_400_000;

/** How many long-inactive people the demo holds. */
export const DEMO_INACTIVE_PEOPLE = 3;

/**
 * Three people recorded well before the demo year who never came back (no contact, referral or
 * follow-up since): with the default retention for people (`inactive_people`), a dry run on the
 * admin's retention page lists them, and the daily purge would erase them.
 */
@Injectable()
export class DemoRetention implements DemoAddition {
  constructor(private readonly persons: PersonRecords) {}

  async seed(tx: Tx, demo: DemoContext): Promise<void> {
    const random = demo.random('retention');
    const cutoff = retentionCutoff(
      demo.now,
      RETENTION_RULES.inactive_people.unit,
      RETENTION_RULES.inactive_people.defaultKeep,
    );
    const scope = demo.as(tx, 'caseworker');
    for (let i = 0; i < DEMO_INACTIVE_PEOPLE; i++) {
      const person = await this.persons.create(scope, {
        ageBand: (['25_34', '35_44', '18_24'] as const)[i],
        regionOfOrigin: 'south_eastern_asia',
        languageGroup: 'thai',
      });
      // Between one and five months past the default period.
      const at = new Date(cutoff.getTime() - (30 + Math.floor(random() * 120)) * DAY);
      demo.timeline.people.push({ id: person.id, createdAt: at, updatedAt: at });
    }
  }
}
