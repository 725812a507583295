-- Generated from the statements in apps/api/src/data by sql-files.spec.ts.
-- Do not edit: change the statement in its repository, then run `npm run sql`.

-- keyWorkers.assign
INSERT INTO person_key_worker (organisation_id, person_id, staff_id, assigned_at, assigned_by)
   VALUES (:organisationId, :personId, :staffId, :at, :assignedBy)
   ON CONFLICT DO NOTHING
   RETURNING staff_id;

-- keyWorkers.caseStaff
SELECT id, display_name, roles, status FROM staff_user
    WHERE organisation_id = :organisationId
      AND roles && ARRAY['caseworker', 'coordinator']::text[]
    ORDER BY status, display_name, id;

-- keyWorkers.demoRestrict
UPDATE person
      SET restricted = true, restricted_changed_by = :coordinatorId, restricted_changed_at = :at,
          version = version + 1, updated_at = :at
    WHERE organisation_id = :organisationId
      AND id = (SELECT p.id FROM person p
                  JOIN person_key_worker k
                    ON k.organisation_id = p.organisation_id AND k.person_id = p.id
                 WHERE p.organisation_id = :organisationId AND p.has_identity
                   AND k.staff_id = :caseworkerId
                 ORDER BY p.code LIMIT 1)
   RETURNING id;

-- keyWorkers.handOver
WITH gone AS (
     DELETE FROM person_key_worker
      WHERE organisation_id = :organisationId AND staff_id = :fromStaffId
        AND person_id = ANY (:personIds::uuid[])
     RETURNING person_id),
   added AS (
     INSERT INTO person_key_worker (organisation_id, person_id, staff_id, assigned_at, assigned_by)
     SELECT :organisationId, person_id, :toStaffId, :at, :by FROM gone
     ON CONFLICT DO NOTHING)
   SELECT person_id AS id FROM gone ORDER BY person_id;

-- keyWorkers.heldBy
SELECT k.person_id AS id FROM person_key_worker k
    WHERE k.organisation_id = :organisationId AND k.staff_id = :staffId
      AND (:personIds::uuid[] IS NULL OR k.person_id = ANY (:personIds::uuid[]))
    ORDER BY k.person_id;

-- keyWorkers.ofPerson
SELECT k.staff_id, s.display_name, k.assigned_at
     FROM person_key_worker k
     JOIN staff_user s ON s.organisation_id = k.organisation_id AND s.id = k.staff_id
    WHERE k.organisation_id = :organisationId AND k.person_id = :personId
    ORDER BY k.assigned_at, k.staff_id;

-- keyWorkers.peopleOf
SELECT p.id AS person_id, p.code, p.age_band, p.region_of_origin, p.language_group,
          p.gender_identity, p.restricted, k.assigned_at,
          (SELECT max(c.occurred_on)::text FROM contact c
            WHERE c.organisation_id = p.organisation_id AND c.person_id = p.id) AS last_contact_on,
          (SELECT count(*)::int FROM support_need n
            WHERE n.organisation_id = p.organisation_id AND n.person_id = p.id
              AND n.status IN ('identified', 'in_progress')) AS open_needs
     FROM person_key_worker k
     JOIN person p ON p.organisation_id = k.organisation_id AND p.id = k.person_id
    WHERE k.organisation_id = :organisationId AND k.staff_id = :staffId
      AND (:after::text IS NULL OR p.code > :after::text)
    ORDER BY p.code
    LIMIT :limit;

-- keyWorkers.recordHandover
INSERT INTO key_worker_handover
     (organisation_id, id, from_staff_id, to_staff_id, person_ids, person_count, handed_by, handed_at)
   VALUES (:organisationId, :id, :fromStaffId, :toStaffId, :personIds::uuid[],
           cardinality(:personIds::uuid[]), :by, :at);

-- keyWorkers.remove
DELETE FROM person_key_worker
    WHERE organisation_id = :organisationId AND person_id = :personId AND staff_id = :staffId
   RETURNING staff_id;

-- keyWorkers.restrictedAmong
SELECT id FROM person
    WHERE organisation_id = :organisationId AND id = ANY (:personIds::uuid[]) AND restricted
    ORDER BY id;

-- keyWorkers.restrictedFrom
SELECT p.id FROM person p
    WHERE p.organisation_id = :organisationId AND p.id = ANY (:personIds::uuid[])
      AND p.restricted
      AND NOT EXISTS (
        SELECT 1 FROM person_key_worker k
         WHERE k.organisation_id = p.organisation_id AND k.person_id = p.id
           AND k.staff_id = :staffId);

-- keyWorkers.setRestricted
UPDATE person
      SET restricted = :restricted, restricted_changed_by = :by, restricted_changed_at = :at,
          version = version + 1, updated_at = :at
    WHERE organisation_id = :organisationId AND id = :personId AND version = :version
   RETURNING version;

-- keyWorkers.staffMember
SELECT id, display_name, roles, status FROM staff_user
    WHERE organisation_id = :organisationId AND id = :id;
