-- Generated from the statements in apps/api/src/data by sql-files.spec.ts.
-- Do not edit: change the statement in its repository, then run `npm run sql`.

-- outcomes.insert
INSERT INTO outcome_check_in (organisation_id, id, person_id, checked_on, safety, legal_status,
          health_wellbeing, work_money, housing, social_support, created_by)
   VALUES (:organisationId, :id, :personId, :checkedOn::date, :safety, :legalStatus,
           :healthWellbeing, :workMoney, :housing, :socialSupport, :createdBy)
   RETURNING id, person_id, to_char(checked_on, 'YYYY-MM-DD') AS checked_on, safety, legal_status,
       health_wellbeing, work_money, housing, social_support, created_by, created_at;

-- outcomes.insertEnteredAt
INSERT INTO outcome_check_in (organisation_id, id, person_id, checked_on, safety, legal_status,
          health_wellbeing, work_money, housing, social_support, created_by, created_at)
   VALUES (:organisationId, :id, :personId, :checkedOn::date, :safety, :legalStatus,
           :healthWellbeing, :workMoney, :housing, :socialSupport, :createdBy, :createdAt);

-- outcomes.list
SELECT id, person_id, to_char(checked_on, 'YYYY-MM-DD') AS checked_on, safety, legal_status,
       health_wellbeing, work_money, housing, social_support, created_by, created_at FROM outcome_check_in
    WHERE organisation_id = :organisationId AND person_id = :personId
    ORDER BY checked_on DESC, created_at DESC, id DESC;

-- outcomes.person
SELECT p.code, p.erased_at IS NOT NULL AS erased,
          to_char(least(((p.created_at AT TIME ZONE 'UTC') - interval '12 hours')::date,
                        (SELECT min(c.occurred_on) FROM contact c
                          WHERE c.organisation_id = p.organisation_id AND c.person_id = p.id)),
                  'YYYY-MM-DD') AS first_day
     FROM person p WHERE p.organisation_id = :organisationId AND p.id = :personId;
