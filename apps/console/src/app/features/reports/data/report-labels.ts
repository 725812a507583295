import type {
  ContactKind,
  DisclosureAuthority,
  DisclosureOutcome,
  FunnelStage,
  OutcomeChange,
  OutcomeDomain,
  ReportFilterAttribute,
} from '@harbour/domain';
import { NOT_RECORDED } from '@harbour/domain';
import {
  channelLabels,
  circumstanceLabels,
  languageLabels,
  locationLabels,
  needLabels,
  needStatusLabels,
  referralStatusLabels,
  regionLabels,
} from '../../../core/i18n/domain-labels';
import type { ReportView } from './report-filters';

/**
 * How a row, column or filter value is named: a translation key, a month or a quarter (written
 * in the active language) or plain text (a partner's name from the report, or a value the
 * console does not know, shown as it is).
 */
export type ReportLabel =
  | { readonly kind: 'key'; readonly key: string }
  | { readonly kind: 'month'; readonly month: string }
  | { readonly kind: 'quarter'; readonly quarter: string }
  | { readonly kind: 'text'; readonly text: string };

/** What the rows or columns of a report table are. */
export type ReportDimension =
  | 'category'
  | 'needStatus'
  | 'referralStatus'
  | 'partner'
  | 'month'
  | 'quarter'
  | 'stage'
  | 'channel'
  | 'location'
  | 'language'
  | 'circumstance'
  | 'contactKind'
  | 'domain'
  | 'outcomeChange'
  | 'authority'
  | 'disclosureOutcome';

// Translation keys written out in full, so that the translation check sees every one of them.

export const REPORT_TITLE_KEYS: Readonly<Record<ReportView, string>> = {
  needs: 'reports.needs.title',
  referrals: 'reports.referrals.title',
  funnel: 'reports.funnel.title',
  'time-to-outcome': 'reports.timeToOutcome.title',
  contacts: 'reports.contacts.title',
  'outcome-change': 'outcomes.report.title',
  disclosures: 'reports.disclosures.title',
};

export const FILTER_ATTRIBUTE_KEYS: Readonly<Record<ReportFilterAttribute, string>> = {
  language: 'reports.filters.attributes.language',
  circumstance: 'reports.filters.attributes.circumstance',
  channel: 'reports.filters.attributes.channel',
  region: 'reports.filters.attributes.region',
  partner: 'reports.filters.attributes.partner',
  category: 'reports.filters.attributes.category',
};

export const STAGE_KEYS: Readonly<Record<FunnelStage, string>> = {
  identified: 'reports.funnel.stages.identified',
  referred: 'reports.funnel.stages.referred',
  accepted: 'reports.funnel.stages.accepted',
  completed: 'reports.funnel.stages.completed',
};

/** Individual or group contacts (a group counts its headcount in people reached). */
export const CONTACT_KIND_KEYS: Readonly<Record<ContactKind, string>> = {
  individual: 'reports.contacts.kinds.individual',
  group: 'reports.contacts.kinds.group',
};

/** The areas of life of outcome check-ins, and how a rating moved. */
export const DOMAIN_NAME_KEYS: Readonly<Record<OutcomeDomain, string>> = {
  safety: 'outcomes.domains.safety.name',
  legal_status: 'outcomes.domains.legal_status.name',
  health_wellbeing: 'outcomes.domains.health_wellbeing.name',
  work_money: 'outcomes.domains.work_money.name',
  housing: 'outcomes.domains.housing.name',
  social_support: 'outcomes.domains.social_support.name',
};

export const OUTCOME_CHANGE_KEYS: Readonly<Record<OutcomeChange, string>> = {
  improved: 'outcomes.change.improved',
  same: 'outcomes.change.same',
  worsened: 'outcomes.change.worsened',
};

/** Who asked for a disclosure, and what became of the request. */
export const AUTHORITY_KEYS: Readonly<Record<DisclosureAuthority, string>> = {
  police: 'reports.disclosures.authorities.police',
  immigration: 'reports.disclosures.authorities.immigration',
  court: 'reports.disclosures.authorities.court',
  other: 'reports.disclosures.authorities.other',
};

export const DISCLOSURE_OUTCOME_KEYS: Readonly<Record<DisclosureOutcome, string>> = {
  recorded: 'reports.disclosures.outcomes.recorded',
  refused: 'reports.disclosures.outcomes.refused',
  disclosed: 'reports.disclosures.outcomes.disclosed',
};

const NOT_RECORDED_KEY = 'reports.notRecorded';

const key = (value: string): ReportLabel => ({ kind: 'key', key: value });
const text = (value: string): ReportLabel => ({ kind: 'text', text: value });

function fromMap(map: Readonly<Record<string, string>>, value: string): ReportLabel {
  if (value === NOT_RECORDED) return key(NOT_RECORDED_KEY);
  return Object.hasOwn(map, value) ? key(map[value]!) : text(value);
}

/** A partner's name from the report (or the partner list); its id when neither knows it. */
export function partnerLabel(id: string, partners: Readonly<Record<string, string>>): ReportLabel {
  return text(Object.hasOwn(partners, id) ? partners[id]! : id);
}

/** The label of one value of a table's rows or columns. */
export function dimensionLabel(
  dimension: ReportDimension,
  value: string,
  partners: Readonly<Record<string, string>>,
): ReportLabel {
  switch (dimension) {
    case 'category':
      return fromMap(needLabels, value);
    case 'needStatus':
      return fromMap(needStatusLabels, value);
    case 'referralStatus':
      return fromMap(referralStatusLabels, value);
    case 'stage':
      return fromMap(STAGE_KEYS, value);
    case 'channel':
      return fromMap(channelLabels, value);
    case 'location':
      return fromMap(locationLabels, value);
    case 'language':
      return fromMap(languageLabels, value);
    case 'circumstance':
      return fromMap(circumstanceLabels, value);
    case 'contactKind':
      return fromMap(CONTACT_KIND_KEYS, value);
    case 'domain':
      return fromMap(DOMAIN_NAME_KEYS, value);
    case 'outcomeChange':
      return fromMap(OUTCOME_CHANGE_KEYS, value);
    case 'authority':
      return fromMap(AUTHORITY_KEYS, value);
    case 'disclosureOutcome':
      return fromMap(DISCLOSURE_OUTCOME_KEYS, value);
    case 'partner':
      return partnerLabel(value, partners);
    case 'month':
      return { kind: 'month', month: value };
    case 'quarter':
      return { kind: 'quarter', quarter: value };
  }
}

/** The label of a filter value (a language, channel, region, partner…). */
export function filterValueLabel(
  attribute: ReportFilterAttribute,
  value: string,
  partners: Readonly<Record<string, string>>,
): ReportLabel {
  switch (attribute) {
    case 'language':
      return fromMap(languageLabels, value);
    case 'circumstance':
      return fromMap(circumstanceLabels, value);
    case 'channel':
      return fromMap(channelLabels, value);
    case 'region':
      return fromMap(regionLabels, value);
    case 'category':
      return fromMap(needLabels, value);
    case 'partner':
      return partnerLabel(value, partners);
  }
}

/** A label for every value of a dimension. */
export function dimensionLabels(
  dimension: ReportDimension,
  values: readonly string[],
  partners: Readonly<Record<string, string>>,
): ReportLabel[] {
  return values.map((value) => dimensionLabel(dimension, value, partners));
}
