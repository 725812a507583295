import { Injectable } from '@nestjs/common';
import {
  CIRCUMSTANCES,
  NEED_CATEGORIES,
  type AgeBand,
  type Circumstance,
  type ContactChannel,
  type LanguageGroup,
  type LocationType,
  type NeedCategory,
  type PersonIdentityInput,
  type ReferralStatus,
  type RegionOfOrigin,
  type Role,
} from '@harbour/domain';
import type { Principal } from '../../infra/auth/principal';
import { Db } from '../../infra/database/transaction';
import { Clock } from '../../infra/time/clock';
import { ContactRecords } from '../../core/records/contact-records';
import { PersonRecords } from '../../core/records/person-records';
import { actingAs, actingPrincipal, systemScope } from '../../core/scope/request-scope';
import { PartnersService } from '../referrals/partners.service';
import { ReferralsService } from '../referrals/referrals.service';
import { ContactsRepository } from '../../data/contacts/contacts.repository';

/** A small seeded generator, so every demo database holds the same synthetic year. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Synthetic names only (none of them is a canary name or a real person's record): given and
 * family names combined at random per language group.
 */
const NAMES: Readonly<
  Record<
    string,
    { language: LanguageGroup; region: RegionOfOrigin; given: string[]; family: string[] }
  >
> = {
  thai: {
    language: 'thai',
    region: 'south_eastern_asia',
    given: ['Malai', 'Ploy', 'Nok', 'Dao', 'Kannika', 'Siriporn', 'Araya', 'Wanida'],
    family: ['Srisuk', 'Boonmee', 'Thongdee', 'Chaiyaporn', 'Kaewmanee', 'Rattanakul'],
  },
  vietnamese: {
    language: 'vietnamese',
    region: 'south_eastern_asia',
    given: ['Thu Trang', 'Ngoc Anh', 'Mai', 'Hoa', 'Linh', 'Phuong'],
    family: ['Trần', 'Lê', 'Phạm', 'Hoàng', 'Võ', 'Đặng'],
  },
  chinese: {
    language: 'chinese_mandarin',
    region: 'eastern_asia',
    given: ['丽华', '晓燕', '秀英', '海燕', '春梅', '雪'],
    family: ['李', '张', '刘', '杨', '黄', '赵'],
  },
  korean: {
    language: 'korean',
    region: 'eastern_asia',
    given: ['민지', '서연', '수빈', '하은', '유진'],
    family: ['이', '박', '최', '정', '강'],
  },
  romanian: {
    language: 'romanian',
    region: 'eastern_europe',
    given: ['Ioana', 'Andreea', 'Elena', 'Mihaela', 'Cristina'],
    family: ['Popescu', 'Ionescu', 'Stan', 'Dumitru', 'Munteanu'],
  },
  brazilian: {
    language: 'portuguese',
    region: 'latin_america_caribbean',
    given: ['Ana Paula', 'Fernanda', 'Juliana', 'Camila', 'Larissa'],
    family: ['Souza', 'Oliveira', 'Pereira', 'Costa', 'Rodrigues'],
  },
};

const PARTNERS = [
  {
    name: 'Riverside Legal Advice Clinic',
    serviceType: 'legal_aid',
    languages: ['english', 'thai'],
    sexWorkerFriendly: true,
    noIdRequired: true,
    immigrationSafe: true,
    free: true,
  },
  {
    name: 'Northgate Sexual Health Service',
    serviceType: 'sexual_health',
    languages: ['english', 'chinese_mandarin', 'romanian'],
    sexWorkerFriendly: true,
    noIdRequired: true,
    interpreters: true,
    free: true,
  },
  {
    name: 'Migrant Rights Advice Line',
    serviceType: 'migration_advice',
    languages: ['english', 'vietnamese', 'portuguese'],
    immigrationSafe: true,
    interpreters: true,
    free: true,
  },
  {
    name: 'Safe Haven Housing Project',
    serviceType: 'housing',
    languages: ['english'],
    sexWorkerFriendly: true,
    free: true,
  },
  {
    name: 'Open Door Counselling',
    serviceType: 'counselling',
    languages: ['english', 'korean'],
    sexWorkerFriendly: true,
    interpreters: true,
  },
  {
    name: 'Freedom Pathways (trafficking support)',
    serviceType: 'trafficking_support',
    languages: ['english', 'thai', 'vietnamese', 'romanian'],
    noIdRequired: true,
    immigrationSafe: true,
    interpreters: true,
    free: true,
  },
  { name: 'Community Debt Advice', serviceType: 'financial', languages: ['english'], free: true },
  { name: 'Consulate liaison desk', serviceType: 'embassy_consulate', languages: ['thai'] },
] as const;

const CHANNELS: readonly ContactChannel[] = [
  'in_person',
  'phone',
  'text',
  'online',
  'outreach_visit',
  'drop_in',
];
const LOCATIONS: Readonly<Record<ContactChannel, LocationType[]>> = {
  in_person: ['drop_in_centre', 'health_service', 'court', 'police_station'],
  phone: ['online_or_phone'],
  text: ['online_or_phone'],
  online: ['online_or_phone'],
  outreach_visit: ['outreach_venue', 'street', 'private_residence'],
  drop_in: ['drop_in_centre'],
};
const AGE_BANDS: readonly AgeBand[] = [
  '18_24',
  '25_34',
  '25_34',
  '35_44',
  '35_44',
  '45_54',
  '55_64',
  'unknown',
];

/**
 * Need categories as often as an outreach service meets them: every category, and the common
 * ones (legal, migration, health, sexual health, housing, safety) several times over.
 */
const COMMON_NEEDS: readonly NeedCategory[] = [
  ...NEED_CATEGORIES,
  ...(['legal', 'migration_visa', 'health', 'sexual_health', 'housing', 'safety'] as const).flatMap(
    (c) => [c, c, c],
  ),
  'legal',
  'sexual_health',
  'migration_visa',
];

/** Referral journeys: the statuses each demo referral is walked through, in order. */
const JOURNEYS: readonly ReferralStatus[][] = [
  [],
  ['consented'],
  ['consented', 'sent'],
  ['consented', 'sent', 'accepted'],
  ['consented', 'sent', 'accepted', 'completed'],
  ['consented', 'sent', 'accepted', 'completed'],
  ['consented', 'sent', 'declined_by_partner'],
  ['declined_by_client'],
  ['consented', 'withdrawn'],
  ['consented', 'sent', 'lost_contact'],
];

export interface DemoCaseCounts {
  readonly people: number;
  readonly contacts: number;
  readonly groupContacts: number;
  readonly needs: number;
  readonly referrals: number;
  readonly partners: number;
}

/**
 * A synthetic year of casework for the demo organisation (development only): partners, people
 * across languages and regions, individual contacts with circumstances (post-raid, CJSV …) and
 * needs, group outreach and post-raid contacts, and referrals in every status. Written through
 * the same services as the API, so everything is encrypted and indexed as real data would be.
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
    staff: { caseworker: string; coordinator: string },
    people = 120,
  ): Promise<DemoCaseCounts> {
    const random = mulberry32(0x4a4b0);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    // The seed acts as the demo staff would, without a session (it runs before the server).
    const principal = (userId: string, role: Role): Principal =>
      actingPrincipal(
        organisationId,
        { id: userId, email: `${role}@demo.harbour.test`, displayName: role, roles: [role] },
        this.clock.now(),
      );
    const caseworker = principal(staff.caseworker, 'caseworker');
    const coordinator = principal(staff.coordinator, 'coordinator');
    const today = this.clock.now();
    const daysAgo = (days: number): string =>
      new Date(today.getTime() - days * 86_400_000).toISOString().slice(0, 10);

    return this.db.transaction(organisationId, async (tx) => {
      const partnerIds: string[] = [];
      for (const partner of PARTNERS) {
        partnerIds.push((await this.partners.create(systemScope(tx), partner)).id);
      }
      let contacts = 0;
      let needs = 0;
      let referrals = 0;
      let groupContacts = 0;
      const needIds: string[] = [];
      for (let i = 0; i < people; i++) {
        const group = pick(Object.values(NAMES));
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
        const person = await this.persons.create(actingAs(tx, caseworker), {
          identity,
          ageBand: identity.dateOfBirth === undefined ? pick(AGE_BANDS) : undefined,
          regionOfOrigin: group.region,
          languageGroup: group.language,
          consentToReporting: random() < 0.8,
        });
        const visits = 1 + Math.floor(random() * 4);
        for (let v = 0; v < visits; v++) {
          const channel = pick(CHANNELS);
          const circumstances = new Set<Circumstance>();
          if (random() < 0.12) circumstances.add('post_raid');
          if (random() < 0.08) circumstances.add('cjsv');
          if (random() < 0.3) circumstances.add(pick(CIRCUMSTANCES));
          const wanted = random() < 0.6 ? 1 + Math.floor(random() * 2) : 0;
          const contact = await this.contacts.create(
            actingAs(tx, v % 2 === 0 ? caseworker : coordinator),
            {
              personId: person.id,
              occurredOn: daysAgo(Math.floor(random() * 365)),
              channel,
              locationType: pick(LOCATIONS[channel]),
              languageGroup: random() < 0.7 ? group.language : 'english',
              interpreterUsed: random() < 0.25,
              peerLed: random() < 0.6,
              circumstances: [...circumstances],
              notes:
                random() < 0.3
                  ? 'Synthetic demo note: follow-up agreed at the next drop-in.'
                  : undefined,
              needs: Array.from({ length: wanted }, () => ({
                category: pick<NeedCategory>(COMMON_NEEDS),
                priority: pick(['low', 'medium', 'medium', 'high', 'urgent'] as const),
              })),
            },
          );
          contacts++;
          needs += contact.needs.length;
          needIds.push(...contact.needs.map((n) => n.id));
        }
      }
      // Outreach nights and post-raid group intakes: anonymous people counted by headcount.
      for (let g = 0; g < 24; g++) {
        const raid = g % 4 === 0;
        await this.contacts.create(actingAs(tx, caseworker), {
          kind: 'group',
          headcount: raid ? 4 + Math.floor(random() * 12) : 2 + Math.floor(random() * 8),
          occurredOn: daysAgo(Math.floor(random() * 365)),
          channel: 'outreach_visit',
          locationType: raid ? 'police_station' : pick(['outreach_venue', 'street'] as const),
          peerLed: true,
          circumstances: raid ? ['post_raid', 'police_contact'] : [],
          needs: raid ? [{ category: 'legal', priority: 'urgent' }] : [],
        });
        groupContacts++;
        contacts++;
      }
      // Referrals in every status, from a share of the needs.
      for (let r = 0; r < Math.min(needIds.length, 140); r++) {
        const needId = needIds[(r * 2) % needIds.length]!;
        let referral = await this.referrals.create(actingAs(tx, caseworker), {
          needId,
          partnerId: pick(partnerIds),
        });
        for (const to of JOURNEYS[r % JOURNEYS.length]!) {
          const overridden = to === 'consented' && r % 11 === 0;
          referral = await this.referrals.transition(
            actingAs(tx, overridden ? coordinator : caseworker),
            referral.id,
            {
              version: referral.version,
              to,
              ...(to === 'consented' && !overridden
                ? {
                    consent: {
                      method: r % 3 === 0 ? 'written' : 'verbal',
                      scope: ['needs', 'name'],
                    },
                  }
                : {}),
              ...(overridden ? { overrideReason: 'Synthetic demo: urgent safety referral' } : {}),
            },
          );
        }
        referrals++;
      }
      // Needs were identified on the day of their contact.
      await this.contactRows.alignNeedDates(tx);
      return {
        people,
        contacts,
        groupContacts,
        needs,
        referrals,
        partners: partnerIds.length,
      };
    });
  }
}
