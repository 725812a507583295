/**
 * Case-record taxonomies (docs/design.md §3–§4), shared by the API (validation, storage) and the
 * console (forms, filters, translations). Values are stable identifiers: they are stored and
 * reported; labels live in the console's translation files under the same keys.
 */

/** How a contact happened. */
export const CONTACT_CHANNELS = [
  'in_person',
  'phone',
  'text',
  'online',
  'outreach_visit',
  'drop_in',
] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

/** Where a contact happened, coarse on purpose (class C). */
export const LOCATION_TYPES = [
  'drop_in_centre',
  'outreach_venue',
  'street',
  'private_residence',
  'online_or_phone',
  'police_station',
  'immigration_detention',
  'court',
  'health_service',
  'other',
] as const;
export type LocationType = (typeof LOCATION_TYPES)[number];

/** Circumstance tags on a contact. Organisations may disable tags they never use. */
export const CIRCUMSTANCES = [
  'post_raid',
  'cjsv',
  'immigration_detention',
  'police_contact',
  'court_process',
  'visa_concern',
  'debt_or_contract',
  'workplace_exploitation',
  'violence',
  'health_emergency',
] as const;
export type Circumstance = (typeof CIRCUMSTANCES)[number];

export const NEED_CATEGORIES = [
  'legal',
  'migration_visa',
  'health',
  'sexual_health',
  'mental_health',
  'housing',
  'financial',
  'safety',
  'workplace_rights',
  'debt_contract',
  'repatriation',
  'language_interpreter',
  'drug_harm_reduction',
  'education_training',
  'other',
] as const;
export type NeedCategory = (typeof NEED_CATEGORIES)[number];

export const NEED_PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export type NeedPriority = (typeof NEED_PRIORITIES)[number];

export const NEED_STATUSES = [
  'identified',
  'in_progress',
  'met',
  'unmet',
  'declined',
  'withdrawn',
] as const;
export type NeedStatus = (typeof NEED_STATUSES)[number];

/**
 * Allowed need status changes. `unmet` may be reopened (a new service appears); `met`,
 * `declined` and `withdrawn` are final — a new need is recorded instead.
 */
export const NEED_TRANSITIONS: Readonly<Record<NeedStatus, readonly NeedStatus[]>> = {
  identified: ['in_progress', 'met', 'unmet', 'declined', 'withdrawn'],
  in_progress: ['met', 'unmet', 'declined', 'withdrawn'],
  unmet: ['in_progress'],
  met: [],
  declined: [],
  withdrawn: [],
};

export function canChangeNeedStatus(from: NeedStatus, to: NeedStatus): boolean {
  return NEED_TRANSITIONS[from].includes(to);
}

/** Age bands instead of dates of birth wherever an age is reportable. */
export const AGE_BANDS = [
  'under_18',
  '18_24',
  '25_34',
  '35_44',
  '45_54',
  '55_64',
  '65_plus',
  'unknown',
] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

/**
 * The age band of someone born on `dateOfBirth` (YYYY-MM-DD) on the day `today` (YYYY-MM-DD),
 * or `unknown` for a date that is not a real date or lies in the future.
 */
export function ageBandOn(dateOfBirth: string, today: string): AgeBand {
  const birth = parseIsoDate(dateOfBirth);
  const now = parseIsoDate(today);
  if (birth === null || now === null) return 'unknown';
  let age = now.year - birth.year;
  if (now.month < birth.month || (now.month === birth.month && now.day < birth.day)) age -= 1;
  if (age < 0 || age > 130) return 'unknown';
  if (age < 18) return 'under_18';
  if (age < 25) return '18_24';
  if (age < 35) return '25_34';
  if (age < 45) return '35_44';
  if (age < 55) return '45_54';
  if (age < 65) return '55_64';
  return '65_plus';
}

/**
 * The latest calendar day anywhere at `now` (UTC+14), as `YYYY-MM-DD`: a caseworker in Bangkok
 * writes "today" while it is still yesterday in UTC, and that is not a date in the future.
 */
export function latestCalendarDay(now: Date): string {
  return new Date(now.getTime() + 14 * 3_600_000).toISOString().slice(0, 10);
}

/** The earliest calendar day Harbour accepts anywhere (`parseIsoDate` refuses older ones). */
export const EARLIEST_CALENDAR_DAY = '1900-01-01';

/** A real calendar date in `YYYY-MM-DD` form (`EARLIEST_CALENDAR_DAY` onwards), or null. */
export function parseIsoDate(text: string): { year: number; month: number; day: number } | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match === null) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (
    text < EARLIEST_CALENDAR_DAY ||
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day
  ) {
    return null;
  }
  return { year, month, day };
}

/**
 * Region of origin: UN M49 sub-regions, never a country (class C must stay coarse enough to
 * report without singling anyone out).
 */
export const REGIONS_OF_ORIGIN = [
  'south_eastern_asia',
  'eastern_asia',
  'southern_asia',
  'central_asia',
  'western_asia',
  'northern_africa',
  'sub_saharan_africa',
  'eastern_europe',
  'northern_europe',
  'southern_europe',
  'western_europe',
  'latin_america_caribbean',
  'northern_america',
  'oceania',
  'unknown',
] as const;
export type RegionOfOrigin = (typeof REGIONS_OF_ORIGIN)[number];

/** Language used in a contact, grouped as services plan interpreters. */
export const LANGUAGE_GROUPS = [
  'english',
  'thai',
  'vietnamese',
  'chinese_mandarin',
  'chinese_cantonese',
  'korean',
  'japanese',
  'indonesian_malay',
  'tagalog',
  'khmer',
  'lao',
  'burmese',
  'nepali',
  'hindi_urdu',
  'spanish',
  'portuguese',
  'romanian',
  'bulgarian',
  'russian',
  'arabic',
  'other',
] as const;
export type LanguageGroup = (typeof LANGUAGE_GROUPS)[number];

export const GENDER_IDENTITIES = [
  'woman',
  'man',
  'trans_woman',
  'trans_man',
  'non_binary',
  'other',
  'prefer_not_to_say',
] as const;
export type GenderIdentity = (typeof GENDER_IDENTITIES)[number];

/**
 * Sex as recorded for the SLK-581 linkage key only (its specification has male, female and
 * other/not stated); never shown or reported.
 */
export const SLK_SEXES = ['male', 'female', 'other'] as const;
export type SlkSex = (typeof SLK_SEXES)[number];

/** Kinds of partner services in the directory. */
export const PARTNER_SERVICE_TYPES = [
  'legal_aid',
  'sexual_health',
  'migration_advice',
  'embassy_consulate',
  'trafficking_support',
  'housing',
  'counselling',
  'health',
  'financial',
  'employment',
  'other',
] as const;
export type PartnerServiceType = (typeof PARTNER_SERVICE_TYPES)[number];

/** Safety attributes of a partner (filters in the directory). */
export const PARTNER_SAFETY_ATTRIBUTES = [
  'sexWorkerFriendly',
  'noIdRequired',
  'interpreters',
  'immigrationSafe',
  'free',
] as const;
export type PartnerSafetyAttribute = (typeof PARTNER_SAFETY_ATTRIBUTES)[number];

/** Largest group contact (a post-raid intake can be large; beyond this, split it). */
export const MAX_GROUP_HEADCOUNT = 500;
