import { Injectable } from '@nestjs/common';
import {
  CIRCUMSTANCES,
  type Circumstance,
  type ContactChannel,
  type NeedCategory,
  type PersonIdentityInput,
  type Role,
} from '@harbour/domain';
import type { Principal } from '../../infra/auth/principal';
import { Db, type Tx } from '../../infra/database/transaction';
import { Clock } from '../../infra/time/clock';
import { ContactRecords } from '../../core/records/contact-records';
import { PersonRecords } from '../../core/records/person-records';
import {
  actingAs,
  actingPrincipal,
  systemScope,
  type SignedInScope,
} from '../../core/scope/request-scope';
import { PartnersService } from '../referrals/partners.service';
import { ReferralsService } from '../referrals/referrals.service';
import { ContactsRepository } from '../../data/contacts/contacts.repository';
import { emptyTimeline, type DemoTimeline } from '../../data/seed/demo-owner-statements';
import { AGE_BANDS, COMMON_NEEDS, LOCATIONS, NAMES, PARTNERS } from './demo-catalogue';
import { DemoCalendar, mulberry32 } from './demo-calendar';
import type { DemoPersonFacts, DemoReferralFacts, DemoWorker } from './demo-context';
import { partnerFor, planJourney } from './demo-journeys';

const DAY = 86_400_000;

const EMAILS: Readonly<Record<DemoWorker, string>> = {
  caseworker: 'caseworker@demo.harbour.test',
  peer: 'peer@demo.harbour.test',
  coordinator: 'coordinator@demo.harbour.test',
};

/**
 * Scopes acting as the demo staff, as they would without a session (the seed runs before the
 * server; nothing is served to them).
 */
export function demoActing(
  organisationId: string,
  staff: Readonly<Record<DemoWorker, string>>,
  now: Date,
): (tx: Tx, worker: DemoWorker) => SignedInScope {
  const principals = new Map<DemoWorker, Principal>();
  for (const worker of Object.keys(EMAILS) as DemoWorker[]) {
    const role: Role = worker === 'coordinator' ? 'coordinator' : 'caseworker';
    principals.set(
      worker,
      actingPrincipal(
        organisationId,
        { id: staff[worker], email: EMAILS[worker], displayName: worker, roles: [role] },
        now,
      ),
    );
  }
  return (tx, worker) => actingAs(tx, principals.get(worker)!);
}

export interface DemoCaseCounts {
  readonly people: number;
  readonly contacts: number;
  readonly groupContacts: number;
  readonly needs: number;
  readonly referrals: number;
  readonly partners: number;
}

/** What the casework seeded: counts, the facts later parts of the demo build on, and its dates. */
export interface DemoCases {
  readonly counts: DemoCaseCounts;
  readonly partnerIds: string[];
  readonly people: DemoPersonFacts[];
  readonly referrals: DemoReferralFacts[];
  readonly timeline: DemoTimeline;
}

/** Harmless synthetic notes (never about a real person). */
const NOTES = [
  'Synthetic demo note: follow-up agreed at the next drop-in.',
  'Synthetic demo note: leaflets in their language given; will call back next week.',
  'Synthetic demo note: asked about the clinic opening hours.',
  'Synthetic demo note: prefers text messages; no calls before noon.',
  'Synthetic demo note: wants to think about the referral and come back.',
];

interface NeedSeen {
  readonly id: string;
  readonly personId: string;
  readonly category: NeedCategory;
  readonly worker: DemoWorker;
  readonly at: Date;
}

/**
 * A synthetic year of casework for the demo organisation (development only), over the twelve
 * months before the seed's clock: partners; people across languages and regions, first met on
 * busy days (outreach evenings, a surge after a raid, quiet weekends) and coming back over the
 * months; their contacts at plausible hours with circumstances and needs; group outreach and
 * post-raid contacts; referrals to the fitting partners that are consented, sent, answered and
 * completed on later days (or declined, withdrawn, lost, or still waiting).
 * Written through the same services as the API, so everything is encrypted and indexed as real
 * data would be; the returned timeline says when each record happened, for the start-up to
 * date it so (`backdateDemoRecords`). Seeded: the same clock gives the same year.
 */
@Injectable()
export class DemoCaseSeeder {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly persons: PersonRecords,
    private readonly contacts: ContactRecords,
    private readonly referrals: ReferralsService,
    private readonly partners: PartnersService,
    private readonly contactRows: ContactsRepository,
  ) {}

  async seed(
    organisationId: string,
    staff: Readonly<Record<DemoWorker, string>>,
    people = 120,
  ): Promise<DemoCases> {
    const random = mulberry32(0x4a4b0);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const now = this.clock.now();
    const calendar = new DemoCalendar(now, random);
    // Nothing planned is later than an hour ago.
    const cutoff = new Date(now.getTime() - 3_600_000);
    const as = demoActing(organisationId, staff, now);
    const timeline = emptyTimeline(organisationId);

    return this.db.transaction(organisationId, async (tx) => {
      const partnerIds: string[] = [];
      for (const partner of PARTNERS) {
        partnerIds.push((await this.partners.create(systemScope(tx), partner)).id);
      }
      const facts: DemoPersonFacts[] = [];
      const seen: NeedSeen[] = [];
      let contacts = 0;
      for (let i = 0; i < people; i++) {
        const raid = i % 9 === 4;
        const group = raid
          ? pick([NAMES['thai']!, NAMES['chinese']!, NAMES['korean']!])
          : pick(Object.values(NAMES));
        const identity: PersonIdentityInput =
          random() < 0.15
            ? {}
            : {
                givenName: pick(group.given),
                familyName: pick(group.family),
                ...(random() < 0.4 ? { alias: pick(group.given) } : {}),
                ...(random() < 0.5
                  ? {
                      dateOfBirth: `${1965 + Math.floor(random() * 40)}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`,
                      sex: random() < 0.85 ? ('female' as const) : ('other' as const),
                    }
                  : {}),
              };
        const worker: 'caseworker' | 'peer' = random() < 0.6 ? 'caseworker' : 'peer';
        // The days they are seen: first on a busy day (the raid's aftermath for some), then
        // back weeks or months later, several times for most.
        let first = raid
          ? new Date(calendar.raidDay.getTime() + Math.floor(random() * 10) * DAY)
          : calendar.day();
        // Written up before the clock: not from its last two days (then a day earlier).
        while (first.getTime() + 2 * DAY > cutoff.getTime())
          first = new Date(first.getTime() - DAY);
        const days = [first];
        const returns = random() < 0.3 ? 0 : 1 + Math.floor(random() * 6);
        for (let v = 0; v < returns; v++) {
          const next = calendar.returnDay(days[days.length - 1]!, 30);
          if (next.getTime() > cutoff.getTime()) break;
          days.push(next);
        }
        const visits: {
          day: Date;
          channel: ContactChannel;
          at: Date;
          entered: Date;
        }[] = [];
        for (const day of days) {
          const channel: ContactChannel =
            raid && visits.length === 0 ? 'in_person' : calendar.channel(day);
          const at = calendar.at(day, channel);
          const entered = calendar.entered(at, channel);
          if (entered.getTime() > cutoff.getTime()) break;
          visits.push({ day, channel, at, entered });
        }
        const registered = new Date(visits[0]!.entered.getTime() - 2 * 60_000);
        const consentToReporting = random() < 0.8;
        const person = await this.persons.create(as(tx, worker), {
          identity,
          ageBand: identity.dateOfBirth === undefined ? pick(AGE_BANDS) : undefined,
          regionOfOrigin: group.region,
          languageGroup: group.language,
          consentToReporting,
        });
        timeline.people.push({ id: person.id, createdAt: registered, updatedAt: registered });
        if (consentToReporting)
          timeline.consents.push({ personId: person.id, givenAt: registered });
        for (const [v, visit] of visits.entries()) {
          const sinceRaid = calendar.daysSinceRaid(visit.day);
          const afterRaid = sinceRaid >= 0 && sinceRaid < 14;
          const circumstances = new Set<Circumstance>();
          if (afterRaid ? random() < 0.75 : random() < 0.03) circumstances.add('post_raid');
          if (afterRaid && random() < 0.5) circumstances.add('police_contact');
          if (afterRaid && random() < 0.3) circumstances.add('visa_concern');
          if (random() < 0.08) circumstances.add('cjsv');
          if (random() < 0.3) circumstances.add(pick(CIRCUMSTANCES));
          const r = random();
          const by: DemoWorker =
            r < 0.7
              ? worker
              : r < 0.85
                ? worker === 'peer'
                  ? 'caseworker'
                  : 'peer'
                : 'coordinator';
          const wanted =
            v === 0 ? (random() < 0.75 ? 1 + Math.floor(random() * 2) : 0) : random() < 0.5 ? 1 : 0;
          const location = raid && v === 0 ? 'police_station' : pick(LOCATIONS[visit.channel]);
          const contact = await this.contacts.create(as(tx, by), {
            personId: person.id,
            occurredOn: visit.day.toISOString().slice(0, 10),
            channel: visit.channel,
            locationType: location,
            languageGroup: random() < 0.7 ? group.language : 'english',
            interpreterUsed: random() < 0.25,
            peerLed: by === 'peer' || random() < 0.4,
            circumstances: [...circumstances],
            notes: random() < 0.3 ? pick(NOTES) : undefined,
            needs: Array.from({ length: wanted }, () => ({
              category: afterRaid && random() < 0.5 ? 'legal' : pick<NeedCategory>(COMMON_NEEDS),
              priority: pick(['low', 'medium', 'medium', 'high', 'urgent'] as const),
            })),
          });
          contacts++;
          timeline.contacts.push({ id: contact.id, createdAt: visit.entered });
          for (const need of contact.needs) {
            seen.push({
              id: need.id,
              personId: person.id,
              category: need.category,
              worker: by,
              at: visit.entered,
            });
          }
        }
        facts.push({
          id: person.id,
          code: person.code,
          worker,
          languageGroup: group.language,
          identified: person.hasIdentity,
          contacts: visits.map((v) => v.entered),
          erasedAt: null,
        });
      }

      const groupContacts = await this.groupContacts(tx, as, calendar, random, cutoff, timeline);
      const referrals = await this.referralsFor(
        tx,
        as,
        seen,
        partnerIds,
        calendar,
        cutoff,
        timeline,
      );
      // Needs were identified on the day of their contact.
      await this.contactRows.alignNeedDates(tx);
      return {
        counts: {
          people,
          contacts: contacts + groupContacts,
          groupContacts,
          needs: seen.length,
          referrals: referrals.length,
          partners: partnerIds.length,
        },
        partnerIds,
        people: facts,
        referrals,
        timeline,
      };
    });
  }

  /** Outreach nights, and group intakes in the days after the raid: people by headcount. */
  private async groupContacts(
    tx: Tx,
    as: (tx: Tx, worker: DemoWorker) => SignedInScope,
    calendar: DemoCalendar,
    random: () => number,
    cutoff: Date,
    timeline: DemoTimeline,
  ): Promise<number> {
    let made = 0;
    for (let g = 0; g < 24; g++) {
      const raid = g % 4 === 0;
      let day = raid
        ? new Date(calendar.raidDay.getTime() + Math.floor(random() * 7) * DAY)
        : calendar.day();
      for (let tries = 0; !raid && !calendar.isOutreachEvening(day) && tries < 20; tries++) {
        day = calendar.day();
      }
      // Written up by the next morning: not from the last two days before the clock.
      while (day.getTime() + 2 * DAY > cutoff.getTime()) day = new Date(day.getTime() - 7 * DAY);
      const at = calendar.at(day, 'outreach_visit');
      const entered = calendar.entered(at, 'outreach_visit');
      const contact = await this.contacts.create(as(tx, random() < 0.5 ? 'caseworker' : 'peer'), {
        kind: 'group',
        headcount: raid ? 4 + Math.floor(random() * 12) : 2 + Math.floor(random() * 8),
        occurredOn: at.toISOString().slice(0, 10),
        channel: 'outreach_visit',
        locationType: raid ? 'police_station' : random() < 0.5 ? 'outreach_venue' : 'street',
        peerLed: true,
        circumstances: raid ? ['post_raid', 'police_contact'] : [],
        needs: raid ? [{ category: 'legal', priority: 'urgent' }] : [],
      });
      timeline.contacts.push({ id: contact.id, createdAt: entered });
      made++;
    }
    return made;
  }

  /**
   * Referrals from most needs (at most 200), to a partner that fits, made during the
   * contact or some days after it, each walked through its planned journey.
   */
  private async referralsFor(
    tx: Tx,
    as: (tx: Tx, worker: DemoWorker) => SignedInScope,
    seen: readonly NeedSeen[],
    partnerIds: readonly string[],
    calendar: DemoCalendar,
    cutoff: Date,
    timeline: DemoTimeline,
  ): Promise<DemoReferralFacts[]> {
    const random = mulberry32(0x7e4a1);
    const made: DemoReferralFacts[] = [];
    for (const need of seen) {
      if (made.length >= 200 || random() >= 0.7) continue;
      const created =
        random() < 0.5
          ? calendar.minutesAfter(need.at, 10, 50)
          : calendar.daysAfter(need.at, 2, 0.9);
      if (created.getTime() > cutoff.getTime()) continue;
      const partnerId = partnerIds[partnerFor(need.category, random, partnerIds.length)]!;
      const steps = planJourney(calendar, random, created, cutoff);
      const overridden = random() < 0.09;
      let referral = await this.referrals.create(as(tx, need.worker), {
        needId: need.id,
        partnerId,
      });
      for (const step of steps.slice(1)) {
        const override = step.status === 'consented' && overridden;
        referral = await this.referrals.transition(
          as(tx, override ? 'coordinator' : need.worker),
          referral.id,
          {
            version: referral.version,
            to: step.status,
            ...(step.status === 'consented' && !override
              ? {
                  consent: {
                    method: random() < 0.35 ? 'written' : 'verbal',
                    scope: ['needs', 'name'],
                  },
                }
              : {}),
            ...(override ? { overrideReason: 'Synthetic demo: urgent safety referral' } : {}),
          },
        );
      }
      for (const step of steps) {
        timeline.referralEvents.push({ referralId: referral.id, status: step.status, at: step.at });
      }
      made.push({
        id: referral.id,
        personId: need.personId,
        needId: need.id,
        partnerId,
        status: referral.status,
        worker: need.worker,
        createdAt: created,
        lastEventAt: steps[steps.length - 1]!.at,
      });
    }
    return made;
  }
}
