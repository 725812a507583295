import { Injectable } from '@nestjs/common';
import type { Tx } from '../../infra/database/transaction';
import { query, statement } from '../sql';

type PersonParams = { organisationId: string; personId: string };

export interface SubjectContactRow {
  id: string;
  kind: string;
  occurred_on: string;
  channel: string;
  location_type: string;
  language_group: string | null;
  interpreter_used: boolean;
  peer_led: boolean;
  circumstances: string[];
  notes: Buffer | null;
  created_at: Date;
}

export interface SubjectAmendmentRow {
  id: string;
  contact_id: string;
  fields: string[];
  reason: Buffer;
  notes: Buffer | null;
  created_at: Date;
}

export interface SubjectNeedRow {
  id: string;
  contact_id: string | null;
  category: string;
  priority: string;
  status: string;
  identified_on: string;
  closed_on: string | null;
}

export interface SubjectReferralRow {
  id: string;
  need_id: string;
  partner_name: string;
  status: string;
  consent_method: string | null;
  consent_scope: string[];
  consent_at: Date | null;
  override_reason: Buffer | null;
  closed_at: Date | null;
  created_at: Date;
}

export interface SubjectReferralStepRow {
  referral_id: string;
  from_status: string | null;
  to_status: string;
  at: Date;
}

export interface SubjectConsentRow {
  id: string;
  purpose: string;
  method: string;
  given_at: Date;
  revoked_at: Date | null;
}

export interface SubjectFollowUpRow {
  id: string;
  need_id: string | null;
  referral_id: string | null;
  source: string;
  text: Buffer | null;
  due_on: string;
  status: string;
  completed_at: Date | null;
  created_at: Date;
}

export interface SubjectCheckInRow {
  id: string;
  checked_on: string;
  safety: number | null;
  legal_status: number | null;
  health_wellbeing: number | null;
  work_money: number | null;
  housing: number | null;
  social_support: number | null;
  created_at: Date;
}

export interface SubjectAccessRow {
  on: string;
  action: string;
  actor_roles: string[];
  outcome: string;
}

// Everything below reads one person's rows, always by organisation and person: a row of anyone
// else can only appear through a bug here, which the property test in
// subject-export.medium-spec.ts is built to catch.

const contacts = statement<PersonParams, SubjectContactRow>(
  'subjectExport.contacts',
  `SELECT id, kind, to_char(occurred_on, 'YYYY-MM-DD') AS occurred_on, channel, location_type,
          language_group, interpreter_used, peer_led, circumstances, notes, created_at
     FROM contact
    WHERE organisation_id = :organisationId AND person_id = :personId
    ORDER BY occurred_on, created_at, id`,
);

const amendments = statement<PersonParams, SubjectAmendmentRow>(
  'subjectExport.amendments',
  `SELECT a.id, a.contact_id, a.fields, a.reason, a.notes, a.created_at
     FROM contact_amendment a
     JOIN contact c ON c.organisation_id = a.organisation_id AND c.id = a.contact_id
    WHERE a.organisation_id = :organisationId AND c.person_id = :personId
    ORDER BY a.created_at, a.id`,
);

/** Needs noted for the person, and needs noted on their contacts. */
const needs = statement<PersonParams, SubjectNeedRow>(
  'subjectExport.needs',
  `SELECT n.id, n.contact_id, n.category, n.priority, n.status,
          to_char(n.identified_on, 'YYYY-MM-DD') AS identified_on,
          to_char(n.closed_on, 'YYYY-MM-DD') AS closed_on
     FROM support_need n
     LEFT JOIN contact c ON c.organisation_id = n.organisation_id AND c.id = n.contact_id
    WHERE n.organisation_id = :organisationId
      AND (n.person_id = :personId OR c.person_id = :personId)
    ORDER BY n.identified_on, n.id`,
);

const referrals = statement<PersonParams, SubjectReferralRow>(
  'subjectExport.referrals',
  `SELECT r.id, r.need_id, p.name AS partner_name, r.status, r.consent_method, r.consent_scope,
          r.consent_at, r.override_reason, r.closed_at, r.created_at
     FROM referral r
     JOIN partner p ON p.organisation_id = r.organisation_id AND p.id = r.partner_id
    WHERE r.organisation_id = :organisationId AND r.person_id = :personId
    ORDER BY r.created_at, r.id`,
);

const referralSteps = statement<PersonParams, SubjectReferralStepRow>(
  'subjectExport.referralSteps',
  `SELECT e.referral_id, e.from_status, e.to_status, e.at
     FROM referral_event e
     JOIN referral r ON r.organisation_id = e.organisation_id AND r.id = e.referral_id
    WHERE e.organisation_id = :organisationId AND r.person_id = :personId
    ORDER BY e.at, e.id`,
);

const consents = statement<PersonParams, SubjectConsentRow>(
  'subjectExport.consents',
  `SELECT id, purpose, method, given_at, revoked_at FROM consent
    WHERE organisation_id = :organisationId AND person_id = :personId
    ORDER BY given_at, id`,
);

const followUps = statement<PersonParams, SubjectFollowUpRow>(
  'subjectExport.followUps',
  `SELECT id, need_id, referral_id, source, text, to_char(due_on, 'YYYY-MM-DD') AS due_on, status,
          completed_at, created_at
     FROM follow_up
    WHERE organisation_id = :organisationId AND person_id = :personId
    ORDER BY created_at, id`,
);

const checkIns = statement<PersonParams, SubjectCheckInRow>(
  'subjectExport.checkIns',
  `SELECT id, to_char(checked_on, 'YYYY-MM-DD') AS checked_on, safety, legal_status,
          health_wellbeing, work_money, housing, social_support, created_at
     FROM outcome_check_in
    WHERE organisation_id = :organisationId AND person_id = :personId
    ORDER BY checked_on, created_at, id`,
);

/** The person's key workers as the roles they hold: never a name or an id. */
const keyWorkers = statement<PersonParams, { roles: string[]; assigned_at: Date }>(
  'subjectExport.keyWorkers',
  `SELECT s.roles, k.assigned_at
     FROM person_key_worker k
     JOIN staff_user s ON s.organisation_id = k.organisation_id AND s.id = k.staff_id
    WHERE k.organisation_id = :organisationId AND k.person_id = :personId
    ORDER BY k.assigned_at`,
);

/**
 * Access events naming the person (by id or by code): the day, the action, the roles and the
 * outcome only — never the actor, the request or any other resource named with them.
 */
const accessHistory = statement<PersonParams & { code: string }, SubjectAccessRow>(
  'subjectExport.accessHistory',
  `SELECT to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS "on", action, actor_roles,
          outcome
     FROM access_event
    WHERE organisation_id = :organisationId
      AND resource_ids && ARRAY[:personId::text, :code::text]
    ORDER BY seq`,
);

/** One person's rows, every table, for their own-data export. */
@Injectable()
export class SubjectExportRepository {
  contacts(tx: Tx, p: PersonParams): Promise<SubjectContactRow[]> {
    return query(tx.manager, contacts, p);
  }

  amendments(tx: Tx, p: PersonParams): Promise<SubjectAmendmentRow[]> {
    return query(tx.manager, amendments, p);
  }

  needs(tx: Tx, p: PersonParams): Promise<SubjectNeedRow[]> {
    return query(tx.manager, needs, p);
  }

  referrals(tx: Tx, p: PersonParams): Promise<SubjectReferralRow[]> {
    return query(tx.manager, referrals, p);
  }

  referralSteps(tx: Tx, p: PersonParams): Promise<SubjectReferralStepRow[]> {
    return query(tx.manager, referralSteps, p);
  }

  consents(tx: Tx, p: PersonParams): Promise<SubjectConsentRow[]> {
    return query(tx.manager, consents, p);
  }

  followUps(tx: Tx, p: PersonParams): Promise<SubjectFollowUpRow[]> {
    return query(tx.manager, followUps, p);
  }

  checkIns(tx: Tx, p: PersonParams): Promise<SubjectCheckInRow[]> {
    return query(tx.manager, checkIns, p);
  }

  keyWorkers(tx: Tx, p: PersonParams): Promise<{ roles: string[]; assigned_at: Date }[]> {
    return query(tx.manager, keyWorkers, p);
  }

  accessHistory(tx: Tx, p: PersonParams & { code: string }): Promise<SubjectAccessRow[]> {
    return query(tx.manager, accessHistory, p);
  }
}
