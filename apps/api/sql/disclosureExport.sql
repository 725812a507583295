-- Generated from the statements in apps/api/src/data by sql-files.spec.ts.
-- Do not edit: change the statement in its repository, then run `npm run sql`.

-- disclosureExport.consents
SELECT id, purpose, method, (given_at AT TIME ZONE 'UTC')::date::text AS given_on,
       (revoked_at AT TIME ZONE 'UTC')::date::text AS revoked_on
  FROM consent
  WHERE organisation_id = :organisationId AND person_id = :personId
    AND (given_at AT TIME ZONE 'UTC')::date BETWEEN :from::date AND :to::date
  ORDER BY given_at, id;

-- disclosureExport.contacts
SELECT id, person_id, occurred_on::text AS occurred_on, channel, location_type, circumstances,
       notes
  FROM contact
  WHERE organisation_id = :organisationId AND person_id = :personId
    AND occurred_on BETWEEN :from::date AND :to::date
  ORDER BY occurred_on, id;

-- disclosureExport.needs
SELECT id, category, priority, status, identified_on::text AS identified_on,
       closed_on::text AS closed_on
  FROM support_need
  WHERE organisation_id = :organisationId AND person_id = :personId
    AND identified_on BETWEEN :from::date AND :to::date
  ORDER BY identified_on, id;

-- disclosureExport.person
SELECT id, code, age_band, region_of_origin, language_group, gender_identity, has_identity,
       erased_at IS NOT NULL AS erased
  FROM person WHERE organisation_id = :organisationId AND id = :personId;

-- disclosureExport.referrals
SELECT r.id, p.name AS partner_name, p.service_type, r.status,
       (r.created_at AT TIME ZONE 'UTC')::date::text AS created_on,
       (r.closed_at AT TIME ZONE 'UTC')::date::text AS closed_on
  FROM referral r
  JOIN partner p ON p.organisation_id = r.organisation_id AND p.id = r.partner_id
  WHERE r.organisation_id = :organisationId AND r.person_id = :personId
    AND (r.created_at AT TIME ZONE 'UTC')::date BETWEEN :from::date AND :to::date
  ORDER BY r.created_at, r.id;
