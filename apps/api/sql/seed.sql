-- Generated from the statements in apps/api/src/data by sql-files.spec.ts.
-- Do not edit: change the statement in its repository, then run `npm run sql`.

-- seed.backdateConsents
UPDATE consent c SET given_at = least(t.given_at, now() - interval '1 minute')
     FROM unnest(:personIds::uuid[], :given::timestamptz[]) AS t(person_id, given_at)
    WHERE c.organisation_id = :organisationId AND c.person_id = t.person_id;

-- seed.backdateContacts
UPDATE contact c SET created_at = least(t.created_at, now() - interval '1 minute')
     FROM unnest(:ids::uuid[], :created::timestamptz[]) AS t(id, created_at)
    WHERE c.organisation_id = :organisationId AND c.id = t.id;

-- seed.backdateErasures
UPDATE person_erasure e SET erased_at = p.erased_at,
          backups_clear_at = p.erased_at + (e.backups_clear_at - e.erased_at)
     FROM person p
    WHERE e.organisation_id = :organisationId
      AND p.organisation_id = e.organisation_id AND p.id = e.person_id
      AND p.erased_at IS NOT NULL;

-- seed.backdateNeeds
UPDATE support_need n SET created_at = c.created_at, updated_at = c.created_at,
           identified_on = c.occurred_on
     FROM contact c
    WHERE n.organisation_id = :organisationId
      AND c.organisation_id = n.organisation_id AND c.id = n.contact_id;

-- seed.backdatePeople
UPDATE person p SET created_at = least(t.created_at, now() - interval '1 minute'),
          updated_at = least(t.updated_at, now() - interval '1 minute'),
          erased_at = CASE WHEN p.erased_at IS NULL THEN NULL
                           ELSE least(t.updated_at, now() - interval '1 minute') END
     FROM unnest(:ids::uuid[], :created::timestamptz[], :updated::timestamptz[])
            AS t(id, created_at, updated_at)
    WHERE p.organisation_id = :organisationId AND p.id = t.id;

-- seed.backdateReferralEvents
UPDATE referral_event e SET at = least(t.at, now() - interval '1 minute')
     FROM unnest(:referralIds::uuid[], :statuses::text[], :at::timestamptz[])
            AS t(referral_id, to_status, at)
    WHERE e.organisation_id = :organisationId
      AND e.referral_id = t.referral_id AND e.to_status = t.to_status;

-- seed.backdateReferrals
UPDATE referral r SET
          created_at = x.first,
          updated_at = x.last,
          consent_at = CASE WHEN r.consent_at IS NULL THEN NULL ELSE coalesce(x.consented, x.first) END,
          closed_at = CASE WHEN r.closed_at IS NULL THEN NULL ELSE x.last END
     FROM (SELECT referral_id, min(at) AS first, max(at) AS last,
                  min(at) FILTER (WHERE to_status = 'consented') AS consented
             FROM referral_event WHERE organisation_id = :organisationId
            GROUP BY referral_id) x
    WHERE r.organisation_id = :organisationId AND r.id = x.referral_id;

-- seed.countOrganisations
SELECT count(*) FROM organisation;

-- seed.lock
SELECT pg_advisory_lock(hashtext('harbour.demo-seed'));

-- seed.ownerBypassesRls
SELECT rolbypassrls FROM pg_roles WHERE rolname = current_user;

-- seed.unlock
SELECT pg_advisory_unlock(hashtext('harbour.demo-seed'));
