import {
  NEED_CATEGORIES,
  type AgeBand,
  type ContactChannel,
  type LanguageGroup,
  type LocationType,
  type NeedCategory,
  type RegionOfOrigin,
} from '@harbour/domain';

/* What the demo organisation's synthetic year is made of: names, partners, places. */

/**
 * Synthetic names only (none of them is a canary name or a real person's record): given and
 * family names combined at random per language group.
 */
export const NAMES: Readonly<
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

export const PARTNERS = [
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

export const LOCATIONS: Readonly<Record<ContactChannel, LocationType[]>> = {
  in_person: ['drop_in_centre', 'health_service', 'court', 'police_station'],
  phone: ['online_or_phone'],
  text: ['online_or_phone'],
  online: ['online_or_phone'],
  outreach_visit: ['outreach_venue', 'street', 'private_residence'],
  drop_in: ['drop_in_centre'],
};
export const AGE_BANDS: readonly AgeBand[] = [
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
export const COMMON_NEEDS: readonly NeedCategory[] = [
  ...NEED_CATEGORIES,
  ...(['legal', 'migration_visa', 'health', 'sexual_health', 'housing', 'safety'] as const).flatMap(
    (c) => [c, c, c],
  ),
  'legal',
  'sexual_health',
  'migration_visa',
];
