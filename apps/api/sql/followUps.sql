-- Generated from the statements in apps/api/src/data by sql-files.spec.ts.
-- Do not edit: change the statement in its repository, then run `npm run sql`.

-- followUps.assignees
SELECT id, display_name FROM staff_user
  WHERE organisation_id = :organisationId AND status = 'active'
    AND roles && ARRAY['caseworker', 'coordinator']::text[]
  ORDER BY display_name, id;

-- followUps.byId
SELECT f.id, f.person_id, p.code AS person_code,
       coalesce(p.erased_at IS NOT NULL, false) AS person_erased, f.need_id, f.referral_id,
       f.source, f.text, f.due_on::text AS due_on, f.assigned_to, s.display_name AS assigned_to_name,
       f.status, f.snoozed_count, f.completed_at, f.completed_by, f.created_by, f.created_at,
       f.version
  FROM follow_up f
  LEFT JOIN person p ON p.organisation_id = f.organisation_id AND p.id = f.person_id
  LEFT JOIN staff_user s ON s.organisation_id = f.organisation_id AND s.id = f.assigned_to
  WHERE f.organisation_id = :organisationId AND f.id = :id;

-- followUps.counts
SELECT (SELECT count(*) FROM follow_up f
            WHERE f.organisation_id = :organisationId AND f.assigned_to = :userId
              AND f.status = 'open' AND f.due_on <= :today::date)::int AS follow_ups_due,
          (SELECT count(*) FROM referral r
            WHERE r.organisation_id = :organisationId AND r.created_by = :userId
              AND r.status IN ('sent', 'accepted') AND :quietBefore::timestamptz IS NOT NULL
              AND coalesce((SELECT max(e.at) FROM referral_event e
      WHERE e.organisation_id = r.organisation_id AND e.referral_id = r.id), r.created_at) < :quietBefore::timestamptz)::int AS stale_referrals;

-- followUps.draftsOf
SELECT r.id, r.person_id, p.code AS person_code, pa.name AS partner_name,
       r.status, coalesce((SELECT max(e.at) FROM referral_event e
      WHERE e.organisation_id = r.organisation_id AND e.referral_id = r.id), r.created_at) AS since, r.created_at
  FROM referral r
  JOIN partner pa ON pa.organisation_id = r.organisation_id AND pa.id = r.partner_id
  LEFT JOIN person p ON p.organisation_id = r.organisation_id AND p.id = r.person_id
  WHERE r.organisation_id = :organisationId AND r.created_by = :userId AND r.status = 'draft'
  ORDER BY r.created_at DESC, r.id LIMIT 50;

-- followUps.dueFor
(SELECT f.id, f.person_id, p.code AS person_code,
       coalesce(p.erased_at IS NOT NULL, false) AS person_erased, f.need_id, f.referral_id,
       f.source, f.text, f.due_on::text AS due_on, f.assigned_to, s.display_name AS assigned_to_name,
       f.status, f.snoozed_count, f.completed_at, f.completed_by, f.created_by, f.created_at,
       f.version
  FROM follow_up f
  LEFT JOIN person p ON p.organisation_id = f.organisation_id AND p.id = f.person_id
  LEFT JOIN staff_user s ON s.organisation_id = f.organisation_id AND s.id = f.assigned_to
  WHERE f.organisation_id = :organisationId AND f.assigned_to = :userId AND f.status = 'open'
    AND f.due_on <= :today::date
  ORDER BY f.due_on, f.id LIMIT 200)
  UNION ALL
  (SELECT f.id, f.person_id, p.code AS person_code,
       coalesce(p.erased_at IS NOT NULL, false) AS person_erased, f.need_id, f.referral_id,
       f.source, f.text, f.due_on::text AS due_on, f.assigned_to, s.display_name AS assigned_to_name,
       f.status, f.snoozed_count, f.completed_at, f.completed_by, f.created_by, f.created_at,
       f.version
  FROM follow_up f
  LEFT JOIN person p ON p.organisation_id = f.organisation_id AND p.id = f.person_id
  LEFT JOIN staff_user s ON s.organisation_id = f.organisation_id AND s.id = f.assigned_to
  WHERE f.organisation_id = :organisationId AND f.assigned_to = :userId AND f.status = 'open'
    AND f.due_on > :today::date
  ORDER BY f.due_on, f.id LIMIT :upcoming);

-- followUps.eligibleAssignee
SELECT id FROM staff_user
  WHERE organisation_id = :organisationId AND id = :userId AND status = 'active'
    AND roles && ARRAY['caseworker', 'coordinator']::text[];

-- followUps.insert
INSERT INTO follow_up (organisation_id, id, person_id, need_id, referral_id, source, text,
    due_on, assigned_to, status, created_by, created_at, updated_at)
  VALUES (:organisationId, :id, :personId, :needId, :referralId, 'manual', :text,
    :dueOn::date, :assignedTo, 'open', :createdBy, :now, :now)
  RETURNING id;

-- followUps.insertAutomatic
INSERT INTO follow_up (organisation_id, id, person_id, need_id, referral_id, source, text,
    due_on, assigned_to, status, created_by, created_at, updated_at)
  SELECT :organisationId, v.id, v.person_id, v.need_id, v.referral_id, 'stale_referral', NULL,
    :dueOn::date, v.assignee, 'open', v.assignee, :now, :now
  FROM unnest(:ids::uuid[], :personIds::uuid[], :needIds::uuid[], :referralIds::uuid[],
    :assignees::uuid[]) AS v(id, person_id, need_id, referral_id, assignee)
  ON CONFLICT (organisation_id, referral_id) WHERE source = 'stale_referral' AND status = 'open'
  DO NOTHING
  RETURNING id;

-- followUps.list
SELECT f.id, f.person_id, p.code AS person_code,
       coalesce(p.erased_at IS NOT NULL, false) AS person_erased, f.need_id, f.referral_id,
       f.source, f.text, f.due_on::text AS due_on, f.assigned_to, s.display_name AS assigned_to_name,
       f.status, f.snoozed_count, f.completed_at, f.completed_by, f.created_by, f.created_at,
       f.version
  FROM follow_up f
  LEFT JOIN person p ON p.organisation_id = f.organisation_id AND p.id = f.person_id
  LEFT JOIN staff_user s ON s.organisation_id = f.organisation_id AND s.id = f.assigned_to
  WHERE f.organisation_id = :organisationId
    AND (:assignedTo::uuid IS NULL OR f.assigned_to = :assignedTo::uuid)
    AND (:personId::uuid IS NULL OR f.person_id = :personId::uuid)
    AND (:status::text IS NULL OR f.status = :status::text)
    AND (:dueBefore::date IS NULL OR f.due_on <= :dueBefore::date)
  ORDER BY f.status = 'open' DESC, f.due_on, f.id
  LIMIT 200;

-- followUps.lock
SELECT status, version, due_on::text AS due_on FROM follow_up
  WHERE organisation_id = :organisationId AND id = :id FOR UPDATE;

-- followUps.needPerson
SELECT person_id FROM support_need WHERE organisation_id = :organisationId AND id = :needId;

-- followUps.person
SELECT code, erased_at IS NOT NULL AS erased FROM person
  WHERE organisation_id = :organisationId AND id = :personId
    FOR KEY SHARE;

-- followUps.quietReferrals
SELECT r.id, r.person_id, r.need_id,
          coalesce((SELECT k.staff_id FROM person_key_worker k
                      JOIN staff_user s ON s.organisation_id = k.organisation_id AND s.id = k.staff_id
                     WHERE k.organisation_id = r.organisation_id AND k.person_id = r.person_id
                       AND s.status = 'active'
                       AND s.roles && ARRAY['caseworker', 'coordinator']::text[]
                     ORDER BY k.assigned_at, k.staff_id LIMIT 1),
                   r.created_by) AS assignee
     FROM referral r
  WHERE r.organisation_id = :organisationId AND r.status IN ('sent', 'accepted')
    AND coalesce((SELECT max(e.at) FROM referral_event e
      WHERE e.organisation_id = r.organisation_id AND e.referral_id = r.id), r.created_at) < :quietBefore
    AND NOT EXISTS (SELECT 1 FROM person p
      WHERE p.organisation_id = r.organisation_id AND p.id = r.person_id
        AND p.erased_at IS NOT NULL)
    AND NOT EXISTS (SELECT 1 FROM follow_up f
      WHERE f.organisation_id = r.organisation_id AND f.referral_id = r.id
        AND f.source = 'stale_referral'
        AND (f.status = 'open' OR f.completed_at >= :quietBefore))
  ORDER BY r.id LIMIT 1000;

-- followUps.recentlySeen
SELECT c.person_id, p.code AS person_code, max(c.occurred_on)::text AS last_seen_on
  FROM contact c
  JOIN person p ON p.organisation_id = c.organisation_id AND p.id = c.person_id
  WHERE c.organisation_id = :organisationId AND c.caseworker_id = :userId
    AND c.occurred_on >= :since::date AND p.erased_at IS NULL
  GROUP BY c.person_id, p.code
  ORDER BY max(c.occurred_on) DESC, p.code LIMIT 50;

-- followUps.referralPerson
SELECT person_id FROM referral WHERE organisation_id = :organisationId AND id = :referralId;

-- followUps.setDueOn
UPDATE follow_up SET due_on = :dueOn::date
  WHERE organisation_id = :organisationId AND id = :id RETURNING id;

-- followUps.staleOrganisations
SELECT organisation_id FROM stale_referral_organisations();

-- followUps.staleReferralDays
SELECT stale_referral_days AS days FROM organisation WHERE id = :organisationId;

-- followUps.staleReferralsOf
SELECT * FROM (SELECT r.id, r.person_id, p.code AS person_code, pa.name AS partner_name,
       r.status, coalesce((SELECT max(e.at) FROM referral_event e
      WHERE e.organisation_id = r.organisation_id AND e.referral_id = r.id), r.created_at) AS since, r.created_at
  FROM referral r
  JOIN partner pa ON pa.organisation_id = r.organisation_id AND pa.id = r.partner_id
  LEFT JOIN person p ON p.organisation_id = r.organisation_id AND p.id = r.person_id
  WHERE r.organisation_id = :organisationId AND r.created_by = :userId
    AND r.status IN ('sent', 'accepted')) d
  WHERE d.since < :quietBefore
  ORDER BY d.since, d.id LIMIT 100;

-- followUps.update
UPDATE follow_up SET status = :status, due_on = :dueOn::date, assigned_to = :assignedTo,
    snoozed_count = snoozed_count + :snoozed::int,
    completed_at = CASE WHEN :status = 'open' THEN NULL ELSE :now::timestamptz END,
    completed_by = CASE WHEN :status = 'open' THEN NULL ELSE :closedBy::uuid END,
    updated_at = :now, version = version + 1
  WHERE organisation_id = :organisationId AND id = :id AND version = :version
  RETURNING id;
