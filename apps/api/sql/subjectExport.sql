-- Generated from the statements in apps/api/src/data by sql-files.spec.ts.
-- Do not edit: change the statement in its repository, then run `npm run sql`.

-- subjectExport.accessHistory
SELECT to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS "on", action, actor_roles,
          outcome
     FROM access_event
    WHERE organisation_id = :organisationId
      AND resource_ids && ARRAY[:personId::text, :code::text]
    ORDER BY seq;

-- subjectExport.amendments
SELECT a.id, a.contact_id, a.fields, a.reason, a.notes, a.created_at
     FROM contact_amendment a
     JOIN contact c ON c.organisation_id = a.organisation_id AND c.id = a.contact_id
    WHERE a.organisation_id = :organisationId AND c.person_id = :personId
    ORDER BY a.created_at, a.id;

-- subjectExport.checkIns
SELECT id, to_char(checked_on, 'YYYY-MM-DD') AS checked_on, safety, legal_status,
          health_wellbeing, work_money, housing, social_support, created_at
     FROM outcome_check_in
    WHERE organisation_id = :organisationId AND person_id = :personId
    ORDER BY checked_on, created_at, id;

-- subjectExport.consents
SELECT id, purpose, method, given_at, revoked_at FROM consent
    WHERE organisation_id = :organisationId AND person_id = :personId
    ORDER BY given_at, id;

-- subjectExport.contacts
SELECT id, kind, to_char(occurred_on, 'YYYY-MM-DD') AS occurred_on, channel, location_type,
          language_group, interpreter_used, peer_led, circumstances, notes, created_at
     FROM contact
    WHERE organisation_id = :organisationId AND person_id = :personId
    ORDER BY occurred_on, created_at, id;

-- subjectExport.followUps
SELECT id, need_id, referral_id, source, text, to_char(due_on, 'YYYY-MM-DD') AS due_on, status,
          completed_at, created_at
     FROM follow_up
    WHERE organisation_id = :organisationId AND person_id = :personId
    ORDER BY created_at, id;

-- subjectExport.keyWorkers
SELECT s.roles, k.assigned_at
     FROM person_key_worker k
     JOIN staff_user s ON s.organisation_id = k.organisation_id AND s.id = k.staff_id
    WHERE k.organisation_id = :organisationId AND k.person_id = :personId
    ORDER BY k.assigned_at;

-- subjectExport.needs
SELECT n.id, n.contact_id, n.category, n.priority, n.status,
          to_char(n.identified_on, 'YYYY-MM-DD') AS identified_on,
          to_char(n.closed_on, 'YYYY-MM-DD') AS closed_on
     FROM support_need n
     LEFT JOIN contact c ON c.organisation_id = n.organisation_id AND c.id = n.contact_id
    WHERE n.organisation_id = :organisationId
      AND (n.person_id = :personId OR c.person_id = :personId)
    ORDER BY n.identified_on, n.id;

-- subjectExport.referrals
SELECT r.id, r.need_id, p.name AS partner_name, r.status, r.consent_method, r.consent_scope,
          r.consent_at, r.override_reason, r.closed_at, r.created_at
     FROM referral r
     JOIN partner p ON p.organisation_id = r.organisation_id AND p.id = r.partner_id
    WHERE r.organisation_id = :organisationId AND r.person_id = :personId
    ORDER BY r.created_at, r.id;

-- subjectExport.referralSteps
SELECT e.referral_id, e.from_status, e.to_status, e.at
     FROM referral_event e
     JOIN referral r ON r.organisation_id = e.organisation_id AND r.id = e.referral_id
    WHERE e.organisation_id = :organisationId AND r.person_id = :personId
    ORDER BY e.at, e.id;
