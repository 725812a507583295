import type {
  DisclosureAuthority,
  DisclosureField,
  DisclosureRecordField,
  DisclosureStatus,
  IdentityField,
} from '@harbour/domain';

// Translation keys written out in full, so that the translation check sees every one of them;
// `Record` makes each map exhaustive, so a new value in @harbour/domain fails the type check.

export const disclosureAuthorityLabels: Readonly<Record<DisclosureAuthority, string>> = {
  police: 'disclosures.authority.police',
  immigration: 'disclosures.authority.immigration',
  court: 'disclosures.authority.court',
  other: 'disclosures.authority.other',
};

export const disclosureStatusLabels: Readonly<Record<DisclosureStatus, string>> = {
  recorded: 'disclosures.status.recorded',
  under_review: 'disclosures.status.under_review',
  approved: 'disclosures.status.approved',
  refused: 'disclosures.status.refused',
  disclosed: 'disclosures.status.disclosed',
  closed: 'disclosures.status.closed',
};

export const disclosureIdentityFieldLabels: Readonly<Record<IdentityField, string>> = {
  givenName: 'disclosures.fields.givenName',
  familyName: 'disclosures.fields.familyName',
  alias: 'disclosures.fields.alias',
  dateOfBirth: 'disclosures.fields.dateOfBirth',
  sex: 'disclosures.fields.sex',
  phone: 'disclosures.fields.phone',
};

export const disclosureRecordFieldLabels: Readonly<Record<DisclosureRecordField, string>> = {
  categories: 'disclosures.fields.categories',
  contacts: 'disclosures.fields.contacts',
  contactNotes: 'disclosures.fields.contactNotes',
  needs: 'disclosures.fields.needs',
  referrals: 'disclosures.fields.referrals',
  consents: 'disclosures.fields.consents',
};

export const disclosureFieldLabels: Readonly<Record<DisclosureField, string>> = {
  ...disclosureIdentityFieldLabels,
  ...disclosureRecordFieldLabels,
};
