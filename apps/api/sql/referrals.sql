-- Generated from the statements in apps/api/src/data by sql-files.spec.ts.
-- Do not edit: change the statement in its repository, then run `npm run sql`.

-- referrals.page
SELECT r.id, r.need_id, r.person_id, r.partner_id, r.status, r.consent_method, r.consent_scope,
       r.consent_at, r.override_reason IS NOT NULL AS consent_overridden, r.created_at,
       r.closed_at, r.version,
       coalesce((SELECT json_agg(json_build_object(
                          'from', e.from_status, 'to', e.to_status, 'actorId', e.actor_id,
                          'at', to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
                        ORDER BY e.id)
                   FROM referral_event e
                  WHERE e.organisation_id = :organisationId AND e.referral_id = r.id),
                '[]'::json) AS history
  FROM referral r
 WHERE r.organisation_id = :organisationId
   AND (:status::text IS NULL OR r.status = :status::text)
   AND (:partner::uuid IS NULL OR r.partner_id = :partner::uuid)
   AND (:person::uuid IS NULL OR r.person_id = :person::uuid)
 ORDER BY r.id DESC
 LIMIT 200;
