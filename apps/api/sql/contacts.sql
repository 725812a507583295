-- Generated from the statements in apps/api/src/data by sql-files.spec.ts.
-- Do not edit: change the statement in its repository, then run `npm run sql`.

-- contacts.alignNeedDates
UPDATE support_need n SET identified_on = c.occurred_on
  FROM contact c WHERE c.organisation_id = n.organisation_id AND c.id = n.contact_id;

-- contacts.insert
WITH c AS (
  INSERT INTO contact (organisation_id, id, kind, person_id, headcount, occurred_on,
                     channel, location_type, language_group, interpreter_used, peer_led,
                     circumstances, notes, caseworker_id)
  VALUES (:organisationId, :id, :kind, :personId, :headcount, :occurredOn, :channel,
       :locationType, :languageGroup, :interpreterUsed, :peerLed, :circumstances, :notes,
       :caseworkerId)
  RETURNING created_at),
n AS (
  INSERT INTO support_need (organisation_id, id, person_id, contact_id, category, priority,
                            status, identified_on, closed_on, created_by)
  SELECT :organisationId, n.id, :personId, :id, n.category, n.priority, 'identified', :today,
         NULL, :caseworkerId
    FROM c, unnest(:needIds::uuid[], :needCategories::text[], :needPriorities::text[])
         AS n(id, category, priority)
  RETURNING id, identified_on::text AS identified_on, version)
SELECT c.created_at, n.id AS need_id, n.identified_on, n.version
  FROM c LEFT JOIN n ON true
 ORDER BY n.id;

-- contacts.insertForKnownKey
WITH p AS (
  SELECT p.code FROM person p
   WHERE p.organisation_id = :organisationId AND p.id = :personId AND p.erased_at IS NULL
     AND :keyId::integer = (SELECT k.key_id FROM organisation_key k
          WHERE k.organisation_id = p.organisation_id AND k.purpose = 'person_data'
            AND k.subject_id = p.id AND k.status = 'active'
          ORDER BY k.key_id DESC LIMIT 1)
     FOR SHARE OF p),
c AS (
  INSERT INTO contact (organisation_id, id, kind, person_id, headcount, occurred_on,
                     channel, location_type, language_group, interpreter_used, peer_led,
                     circumstances, notes, caseworker_id)
  SELECT :organisationId, :id, :kind, :personId, :headcount, :occurredOn, :channel,
       :locationType, :languageGroup, :interpreterUsed, :peerLed, :circumstances, :notes,
       :caseworkerId FROM p
  RETURNING created_at),
n AS (
  INSERT INTO support_need (organisation_id, id, person_id, contact_id, category, priority,
                            status, identified_on, closed_on, created_by)
  SELECT :organisationId, n.id, :personId, :id, n.category, n.priority, 'identified', :today,
         NULL, :caseworkerId
    FROM c, unnest(:needIds::uuid[], :needCategories::text[], :needPriorities::text[])
         AS n(id, category, priority)
  RETURNING id, identified_on::text AS identified_on, version)
SELECT p.code AS person_code, c.created_at, n.id AS need_id, n.identified_on, n.version
  FROM p CROSS JOIN c LEFT JOIN n ON true
 ORDER BY n.id;

-- contacts.personAndKey
SELECT p.code, p.erased_at IS NOT NULL AS erased, (SELECT k.key_id FROM organisation_key k
          WHERE k.organisation_id = p.organisation_id AND k.purpose = 'person_data'
            AND k.subject_id = p.id AND k.status = 'active'
          ORDER BY k.key_id DESC LIMIT 1) AS key_id
  FROM person p WHERE p.organisation_id = :organisationId AND p.id = :personId
   FOR SHARE OF p;
