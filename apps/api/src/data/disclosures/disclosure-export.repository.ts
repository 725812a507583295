import { Injectable } from '@nestjs/common';
import type { Tx } from '../../infra/database/transaction';
import { query, statement } from '../sql';

type Of = { organisationId: string; personId: string; from: string; to: string };

export interface ExportPersonRow {
  id: string;
  code: string;
  age_band: string;
  region_of_origin: string;
  language_group: string | null;
  gender_identity: string | null;
  has_identity: boolean;
  erased: boolean;
}

export interface ExportContactRow {
  id: string;
  person_id: string;
  occurred_on: string;
  channel: string;
  location_type: string;
  circumstances: string[];
  notes: Buffer | null;
}

export interface ExportNeedRow {
  id: string;
  category: string;
  priority: string;
  status: string;
  identified_on: string;
  closed_on: string | null;
}

export interface ExportReferralRow {
  id: string;
  partner_name: string;
  service_type: string;
  status: string;
  created_on: string;
  closed_on: string | null;
}

export interface ExportConsentRow {
  id: string;
  purpose: string;
  method: string;
  given_on: string;
  revoked_on: string | null;
}

const person = statement<{ organisationId: string; personId: string }, ExportPersonRow>(
  'disclosureExport.person',
  `SELECT id, code, age_band, region_of_origin, language_group, gender_identity, has_identity,
       erased_at IS NOT NULL AS erased
  FROM person WHERE organisation_id = :organisationId AND id = :personId`,
);

const contacts = statement<Of, ExportContactRow>(
  'disclosureExport.contacts',
  `SELECT id, person_id, occurred_on::text AS occurred_on, channel, location_type, circumstances,
       notes
  FROM contact
  WHERE organisation_id = :organisationId AND person_id = :personId
    AND occurred_on BETWEEN :from::date AND :to::date
  ORDER BY occurred_on, id`,
);

const needs = statement<Of, ExportNeedRow>(
  'disclosureExport.needs',
  `SELECT id, category, priority, status, identified_on::text AS identified_on,
       closed_on::text AS closed_on
  FROM support_need
  WHERE organisation_id = :organisationId AND person_id = :personId
    AND identified_on BETWEEN :from::date AND :to::date
  ORDER BY identified_on, id`,
);

const referrals = statement<Of, ExportReferralRow>(
  'disclosureExport.referrals',
  `SELECT r.id, p.name AS partner_name, p.service_type, r.status,
       (r.created_at AT TIME ZONE 'UTC')::date::text AS created_on,
       (r.closed_at AT TIME ZONE 'UTC')::date::text AS closed_on
  FROM referral r
  JOIN partner p ON p.organisation_id = r.organisation_id AND p.id = r.partner_id
  WHERE r.organisation_id = :organisationId AND r.person_id = :personId
    AND (r.created_at AT TIME ZONE 'UTC')::date BETWEEN :from::date AND :to::date
  ORDER BY r.created_at, r.id`,
);

const consents = statement<Of, ExportConsentRow>(
  'disclosureExport.consents',
  `SELECT id, purpose, method, (given_at AT TIME ZONE 'UTC')::date::text AS given_on,
       (revoked_at AT TIME ZONE 'UTC')::date::text AS revoked_on
  FROM consent
  WHERE organisation_id = :organisationId AND person_id = :personId
    AND (given_at AT TIME ZONE 'UTC')::date BETWEEN :from::date AND :to::date
  ORDER BY given_at, id`,
);

/**
 * What a disclosure may carry about one person, within the request's period (by the UTC day a
 * record happened): nothing here decides what goes out — the service picks the selected fields.
 */
@Injectable()
export class DisclosureExportRepository {
  async person(tx: Tx, organisationId: string, personId: string) {
    const [row] = await query(tx.manager, person, { organisationId, personId });
    return row;
  }

  contacts(tx: Tx, of: Of): Promise<ExportContactRow[]> {
    return query(tx.manager, contacts, of);
  }

  needs(tx: Tx, of: Of): Promise<ExportNeedRow[]> {
    return query(tx.manager, needs, of);
  }

  referrals(tx: Tx, of: Of): Promise<ExportReferralRow[]> {
    return query(tx.manager, referrals, of);
  }

  consents(tx: Tx, of: Of): Promise<ExportConsentRow[]> {
    return query(tx.manager, consents, of);
  }
}
