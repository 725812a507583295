import { randomInt } from 'node:crypto';
import type {
  AgeBand,
  ContactChannel,
  LanguageGroup,
  LocationType,
  NeedCategory,
  NeedPriority,
  PersonIdentityInput,
  RegionOfOrigin,
} from '@harbour/domain';

/**
 * Plausible made-up people for canaries: names in the scripts and languages the organisations
 * work in, categories that fit them, a date of birth for some. Every value is synthetic; none is
 * one of the test canary names (tools/fixtures/canary-names.json) or a real record.
 */
const GROUPS: readonly {
  readonly language: LanguageGroup;
  readonly region: RegionOfOrigin;
  readonly given: readonly string[];
  readonly family: readonly string[];
}[] = [
  {
    language: 'thai',
    region: 'south_eastern_asia',
    given: ['Pimchanok', 'Nittaya', 'Supaporn', 'Jintana', 'Rungnapa', 'Wilai', 'Anong'],
    family: ['Saelim', 'Phromma', 'Intharasuk', 'Wongsiri', 'Charoenrat', 'Sukjai'],
  },
  {
    language: 'vietnamese',
    region: 'south_eastern_asia',
    given: ['Bich Ngoc', 'Thanh Huong', 'Kim Lien', 'Diem', 'Tuyet', 'Yen'],
    family: ['Nguyễn', 'Bùi', 'Đỗ', 'Huỳnh', 'Ngô', 'Dương'],
  },
  {
    language: 'chinese_mandarin',
    region: 'eastern_asia',
    given: ['美玲', '桂英', '玉兰', '红梅', '静', '婷'],
    family: ['陈', '周', '吴', '徐', '孙', '胡'],
  },
  {
    language: 'korean',
    region: 'eastern_asia',
    given: ['소영', '은정', '미경', '현주', '지혜'],
    family: ['윤', '장', '임', '한', '오'],
  },
  {
    language: 'spanish',
    region: 'latin_america_caribbean',
    given: ['Valentina', 'Daniela', 'Mariana', 'Gabriela', 'Lucía'],
    family: ['Ramírez', 'Torres', 'Flores', 'Vargas', 'Castillo'],
  },
  {
    language: 'english',
    region: 'oceania',
    given: ['Kayla', 'Brooke', 'Tahlia', 'Jade', 'Chloe'],
    family: ['Mitchell', 'Harris', 'Walsh', 'Brennan', 'Fraser'],
  },
];

const AGE_BANDS: readonly AgeBand[] = ['18_24', '25_34', '25_34', '35_44', '35_44', '45_54'];
const CHANNELS: readonly ContactChannel[] = [
  'in_person',
  'phone',
  'text',
  'outreach_visit',
  'drop_in',
];
const LOCATIONS: Readonly<Partial<Record<ContactChannel, readonly LocationType[]>>> = {
  in_person: ['drop_in_centre', 'health_service'],
  phone: ['online_or_phone'],
  text: ['online_or_phone'],
  outreach_visit: ['outreach_venue', 'street', 'private_residence'],
  drop_in: ['drop_in_centre'],
};
const NEEDS: readonly NeedCategory[] = [
  'health',
  'sexual_health',
  'legal',
  'migration_visa',
  'housing',
  'financial',
  'language_interpreter',
  'mental_health',
];
const PRIORITIES: readonly NeedPriority[] = ['low', 'medium', 'medium', 'high'];

const pick = <T>(items: readonly T[]): T => items[randomInt(items.length)]!;

export interface SyntheticPerson {
  readonly identity: PersonIdentityInput;
  readonly ageBand: AgeBand | undefined;
  readonly regionOfOrigin: RegionOfOrigin;
  readonly languageGroup: LanguageGroup;
  readonly consentToReporting: boolean;
}

export function syntheticPerson(today: Date): SyntheticPerson {
  const group = pick(GROUPS);
  const withBirth = randomInt(100) < 50;
  const year = today.getUTCFullYear() - 20 - randomInt(30);
  const identity: PersonIdentityInput = {
    givenName: pick(group.given),
    familyName: pick(group.family),
    ...(randomInt(100) < 40 ? { alias: pick(group.given) } : {}),
    ...(withBirth
      ? {
          dateOfBirth: `${year}-${String(1 + randomInt(12)).padStart(2, '0')}-${String(1 + randomInt(28)).padStart(2, '0')}`,
          sex: randomInt(100) < 85 ? ('female' as const) : ('other' as const),
        }
      : {}),
  };
  return {
    identity,
    ageBand: withBirth ? undefined : pick(AGE_BANDS),
    regionOfOrigin: group.region,
    languageGroup: group.language,
    consentToReporting: randomInt(100) < 75,
  };
}

export interface SyntheticContact {
  readonly occurredOn: string;
  readonly channel: ContactChannel;
  readonly locationType: LocationType;
  readonly peerLed: boolean;
  readonly interpreterUsed: boolean;
  readonly needs: { readonly category: NeedCategory; readonly priority: NeedPriority }[];
}

/** `count` contacts on distinct days of the last four weeks, oldest first. */
export function syntheticContacts(count: number, today: Date): SyntheticContact[] {
  const days = new Set<number>();
  while (days.size < count) days.add(1 + randomInt(28));
  return [...days]
    .sort((a, b) => b - a)
    .map((daysAgo) => {
      const channel = pick(CHANNELS);
      const wanted = randomInt(100) < 60 ? 1 + randomInt(2) : 0;
      return {
        occurredOn: new Date(today.getTime() - daysAgo * 86_400_000).toISOString().slice(0, 10),
        channel,
        locationType: pick(LOCATIONS[channel]!),
        peerLed: randomInt(100) < 60,
        interpreterUsed: randomInt(100) < 20,
        needs: Array.from({ length: wanted }, () => ({
          category: pick(NEEDS),
          priority: pick(PRIORITIES),
        })),
      };
    });
}
