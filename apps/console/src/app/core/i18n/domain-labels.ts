/** Translation keys for the values of `@harbour/domain` (categories, statuses, channels…), shared by every feature. */
import type {
  AgeBand,
  AuditPurpose,
  Circumstance,
  ConsentMethod,
  ConsentPurpose,
  ConsentScope,
  ContactChannel,
  GenderIdentity,
  LanguageGroup,
  LocationType,
  NeedCategory,
  NeedPriority,
  NeedStatus,
  PartnerSafetyAttribute,
  PartnerServiceType,
  ReferralStatus,
  RegionOfOrigin,
  RevealPurpose,
  SlkSex,
} from '@harbour/domain';

// Translation keys written out in full, so that the translation check (translations.spec.ts)
// sees every one of them; `Record` makes each map exhaustive, so a new value in
// @harbour/domain fails the type check here until it has a label.

export const channelLabels: Readonly<Record<ContactChannel, string>> = {
  in_person: 'taxonomy.channel.in_person',
  phone: 'taxonomy.channel.phone',
  text: 'taxonomy.channel.text',
  online: 'taxonomy.channel.online',
  outreach_visit: 'taxonomy.channel.outreach_visit',
  drop_in: 'taxonomy.channel.drop_in',
};

export const locationLabels: Readonly<Record<LocationType, string>> = {
  drop_in_centre: 'taxonomy.location.drop_in_centre',
  outreach_venue: 'taxonomy.location.outreach_venue',
  street: 'taxonomy.location.street',
  private_residence: 'taxonomy.location.private_residence',
  online_or_phone: 'taxonomy.location.online_or_phone',
  police_station: 'taxonomy.location.police_station',
  immigration_detention: 'taxonomy.location.immigration_detention',
  court: 'taxonomy.location.court',
  health_service: 'taxonomy.location.health_service',
  other: 'taxonomy.location.other',
};

export const circumstanceLabels: Readonly<Record<Circumstance, string>> = {
  post_raid: 'taxonomy.circumstance.post_raid',
  cjsv: 'taxonomy.circumstance.cjsv',
  immigration_detention: 'taxonomy.circumstance.immigration_detention',
  police_contact: 'taxonomy.circumstance.police_contact',
  court_process: 'taxonomy.circumstance.court_process',
  visa_concern: 'taxonomy.circumstance.visa_concern',
  debt_or_contract: 'taxonomy.circumstance.debt_or_contract',
  workplace_exploitation: 'taxonomy.circumstance.workplace_exploitation',
  violence: 'taxonomy.circumstance.violence',
  health_emergency: 'taxonomy.circumstance.health_emergency',
};

export const needLabels: Readonly<Record<NeedCategory, string>> = {
  legal: 'taxonomy.need.legal',
  migration_visa: 'taxonomy.need.migration_visa',
  health: 'taxonomy.need.health',
  sexual_health: 'taxonomy.need.sexual_health',
  mental_health: 'taxonomy.need.mental_health',
  housing: 'taxonomy.need.housing',
  financial: 'taxonomy.need.financial',
  safety: 'taxonomy.need.safety',
  workplace_rights: 'taxonomy.need.workplace_rights',
  debt_contract: 'taxonomy.need.debt_contract',
  repatriation: 'taxonomy.need.repatriation',
  language_interpreter: 'taxonomy.need.language_interpreter',
  drug_harm_reduction: 'taxonomy.need.drug_harm_reduction',
  education_training: 'taxonomy.need.education_training',
  other: 'taxonomy.need.other',
};

export const priorityLabels: Readonly<Record<NeedPriority, string>> = {
  low: 'taxonomy.priority.low',
  medium: 'taxonomy.priority.medium',
  high: 'taxonomy.priority.high',
  urgent: 'taxonomy.priority.urgent',
};

export const needStatusLabels: Readonly<Record<NeedStatus, string>> = {
  identified: 'taxonomy.needStatus.identified',
  in_progress: 'taxonomy.needStatus.in_progress',
  met: 'taxonomy.needStatus.met',
  unmet: 'taxonomy.needStatus.unmet',
  declined: 'taxonomy.needStatus.declined',
  withdrawn: 'taxonomy.needStatus.withdrawn',
};

export const ageBandLabels: Readonly<Record<AgeBand, string>> = {
  under_18: 'taxonomy.ageBand.under_18',
  '18_24': 'taxonomy.ageBand.18_24',
  '25_34': 'taxonomy.ageBand.25_34',
  '35_44': 'taxonomy.ageBand.35_44',
  '45_54': 'taxonomy.ageBand.45_54',
  '55_64': 'taxonomy.ageBand.55_64',
  '65_plus': 'taxonomy.ageBand.65_plus',
  unknown: 'taxonomy.ageBand.unknown',
};

export const regionLabels: Readonly<Record<RegionOfOrigin, string>> = {
  south_eastern_asia: 'taxonomy.region.south_eastern_asia',
  eastern_asia: 'taxonomy.region.eastern_asia',
  southern_asia: 'taxonomy.region.southern_asia',
  central_asia: 'taxonomy.region.central_asia',
  western_asia: 'taxonomy.region.western_asia',
  northern_africa: 'taxonomy.region.northern_africa',
  sub_saharan_africa: 'taxonomy.region.sub_saharan_africa',
  eastern_europe: 'taxonomy.region.eastern_europe',
  northern_europe: 'taxonomy.region.northern_europe',
  southern_europe: 'taxonomy.region.southern_europe',
  western_europe: 'taxonomy.region.western_europe',
  latin_america_caribbean: 'taxonomy.region.latin_america_caribbean',
  northern_america: 'taxonomy.region.northern_america',
  oceania: 'taxonomy.region.oceania',
  unknown: 'taxonomy.region.unknown',
};

export const languageLabels: Readonly<Record<LanguageGroup, string>> = {
  english: 'taxonomy.language.english',
  thai: 'taxonomy.language.thai',
  vietnamese: 'taxonomy.language.vietnamese',
  chinese_mandarin: 'taxonomy.language.chinese_mandarin',
  chinese_cantonese: 'taxonomy.language.chinese_cantonese',
  korean: 'taxonomy.language.korean',
  japanese: 'taxonomy.language.japanese',
  indonesian_malay: 'taxonomy.language.indonesian_malay',
  tagalog: 'taxonomy.language.tagalog',
  khmer: 'taxonomy.language.khmer',
  lao: 'taxonomy.language.lao',
  burmese: 'taxonomy.language.burmese',
  nepali: 'taxonomy.language.nepali',
  hindi_urdu: 'taxonomy.language.hindi_urdu',
  spanish: 'taxonomy.language.spanish',
  portuguese: 'taxonomy.language.portuguese',
  romanian: 'taxonomy.language.romanian',
  bulgarian: 'taxonomy.language.bulgarian',
  russian: 'taxonomy.language.russian',
  arabic: 'taxonomy.language.arabic',
  other: 'taxonomy.language.other',
};

export const genderLabels: Readonly<Record<GenderIdentity, string>> = {
  woman: 'taxonomy.gender.woman',
  man: 'taxonomy.gender.man',
  trans_woman: 'taxonomy.gender.trans_woman',
  trans_man: 'taxonomy.gender.trans_man',
  non_binary: 'taxonomy.gender.non_binary',
  other: 'taxonomy.gender.other',
  prefer_not_to_say: 'taxonomy.gender.prefer_not_to_say',
};

export const sexLabels: Readonly<Record<SlkSex, string>> = {
  male: 'taxonomy.sex.male',
  female: 'taxonomy.sex.female',
  other: 'taxonomy.sex.other',
};

export const serviceTypeLabels: Readonly<Record<PartnerServiceType, string>> = {
  legal_aid: 'taxonomy.serviceType.legal_aid',
  sexual_health: 'taxonomy.serviceType.sexual_health',
  migration_advice: 'taxonomy.serviceType.migration_advice',
  embassy_consulate: 'taxonomy.serviceType.embassy_consulate',
  trafficking_support: 'taxonomy.serviceType.trafficking_support',
  housing: 'taxonomy.serviceType.housing',
  counselling: 'taxonomy.serviceType.counselling',
  health: 'taxonomy.serviceType.health',
  financial: 'taxonomy.serviceType.financial',
  employment: 'taxonomy.serviceType.employment',
  other: 'taxonomy.serviceType.other',
};

export const safetyLabels: Readonly<Record<PartnerSafetyAttribute, string>> = {
  sexWorkerFriendly: 'taxonomy.safety.sexWorkerFriendly',
  noIdRequired: 'taxonomy.safety.noIdRequired',
  interpreters: 'taxonomy.safety.interpreters',
  immigrationSafe: 'taxonomy.safety.immigrationSafe',
  free: 'taxonomy.safety.free',
};

export const referralStatusLabels: Readonly<Record<ReferralStatus, string>> = {
  draft: 'taxonomy.referralStatus.draft',
  consented: 'taxonomy.referralStatus.consented',
  sent: 'taxonomy.referralStatus.sent',
  accepted: 'taxonomy.referralStatus.accepted',
  completed: 'taxonomy.referralStatus.completed',
  declined_by_partner: 'taxonomy.referralStatus.declined_by_partner',
  declined_by_client: 'taxonomy.referralStatus.declined_by_client',
  withdrawn: 'taxonomy.referralStatus.withdrawn',
  lost_contact: 'taxonomy.referralStatus.lost_contact',
};

export const consentMethodLabels: Readonly<Record<ConsentMethod, string>> = {
  verbal: 'taxonomy.consentMethod.verbal',
  written: 'taxonomy.consentMethod.written',
};

export const consentScopeLabels: Readonly<Record<ConsentScope, string>> = {
  name: 'taxonomy.consentScope.name',
  contact_details: 'taxonomy.consentScope.contact_details',
  date_of_birth: 'taxonomy.consentScope.date_of_birth',
  nationality: 'taxonomy.consentScope.nationality',
  circumstances: 'taxonomy.consentScope.circumstances',
  needs: 'taxonomy.consentScope.needs',
  notes: 'taxonomy.consentScope.notes',
};

export const consentPurposeLabels: Readonly<Record<ConsentPurpose, string>> = {
  referral_sharing: 'taxonomy.consentPurpose.referral_sharing',
  contact_by_phone: 'taxonomy.consentPurpose.contact_by_phone',
  contact_by_text: 'taxonomy.consentPurpose.contact_by_text',
  aggregate_reporting: 'taxonomy.consentPurpose.aggregate_reporting',
};

export const revealPurposeLabels: Readonly<Record<RevealPurpose, string>> = {
  referral: 'taxonomy.revealPurpose.referral',
  appointment: 'taxonomy.revealPurpose.appointment',
  safety_check: 'taxonomy.revealPurpose.safety_check',
  legal_support: 'taxonomy.revealPurpose.legal_support',
  court: 'taxonomy.revealPurpose.court',
  correction_of_details: 'taxonomy.revealPurpose.correction_of_details',
  other: 'taxonomy.revealPurpose.other',
};

/** A purpose in the access log: a category, or `unlisted` for an older free-text entry. */
export const auditPurposeLabels: Readonly<Record<AuditPurpose, string>> = {
  ...revealPurposeLabels,
  unlisted: 'taxonomy.revealPurpose.unlisted',
};
