-- Generated from the statements in apps/api/src/data by sql-files.spec.ts.
-- Do not edit: change the statement in its repository, then run `npm run sql`.

-- seed.backdateContacts
UPDATE contact SET created_at = least(
          occurred_on + time '08:00' + (abs(hashtext(id::text)) % 36000) * interval '1 second',
          now() - interval '1 minute')
    WHERE organisation_id IN (SELECT id FROM organisation WHERE name = ANY(:names::text[]));

-- seed.backdateNeeds
UPDATE support_need n SET created_at = coalesce(
          (SELECT c.created_at FROM contact c
            WHERE c.organisation_id = n.organisation_id AND c.id = n.contact_id),
          least(n.identified_on + time '12:00', now() - interval '1 minute'))
    WHERE n.organisation_id IN (SELECT id FROM organisation WHERE name = ANY(:names::text[]));

-- seed.backdateReferralClosing
UPDATE referral r SET
          closed_at = CASE WHEN r.closed_at IS NULL THEN NULL ELSE x.last END,
          updated_at = greatest(r.created_at, x.last)
     FROM (SELECT organisation_id, referral_id, max(at) AS last FROM referral_event
            GROUP BY organisation_id, referral_id) x
    WHERE x.organisation_id = r.organisation_id AND x.referral_id = r.id
      AND r.organisation_id IN (SELECT id FROM organisation WHERE name = ANY(:names::text[]));

-- seed.backdateReferralEvents
UPDATE referral_event e SET at = least(r.created_at + s.step * interval '2 days',
                                           now() - interval '1 minute')
     FROM (SELECT organisation_id, id,
                  row_number() OVER (PARTITION BY organisation_id, referral_id ORDER BY at, id) - 1
                    AS step
             FROM referral_event) s,
          referral r
    WHERE s.organisation_id = e.organisation_id AND s.id = e.id
      AND r.organisation_id = e.organisation_id AND r.id = e.referral_id
      AND e.organisation_id IN (SELECT id FROM organisation WHERE name = ANY(:names::text[]));

-- seed.backdateReferrals
UPDATE referral r SET created_at = least(
          n.created_at + (abs(hashtext(r.id::text)) % 14) * interval '1 day' + interval '2 hours',
          now() - interval '1 hour')
     FROM support_need n
    WHERE n.organisation_id = r.organisation_id AND n.id = r.need_id
      AND r.organisation_id IN (SELECT id FROM organisation WHERE name = ANY(:names::text[]));

-- seed.countOrganisations
SELECT count(*) FROM organisation;

-- seed.lock
SELECT pg_advisory_lock(hashtext('harbour.demo-seed'));

-- seed.ownerBypassesRls
SELECT rolbypassrls FROM pg_roles WHERE rolname = current_user;

-- seed.unlock
SELECT pg_advisory_unlock(hashtext('harbour.demo-seed'));
