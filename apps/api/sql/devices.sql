-- Generated from the statements in apps/api/src/data by sql-files.spec.ts.
-- Do not edit: change the statement in its repository, then run `npm run sql`.

-- devices.bumpOrganisation
INSERT INTO device_key_epoch (organisation_id, user_id, epoch, changed_at)
 SELECT organisation_id, id, 1, :now FROM staff_user WHERE organisation_id = :organisationId
 ON CONFLICT (organisation_id, user_id)
 DO UPDATE SET epoch = device_key_epoch.epoch + 1, changed_at = :now;

-- devices.bumpUser
INSERT INTO device_key_epoch (organisation_id, user_id, epoch, changed_at)
 VALUES (:organisationId, :userId, 1, :now)
 ON CONFLICT (organisation_id, user_id)
 DO UPDATE SET epoch = device_key_epoch.epoch + 1, changed_at = :now;

-- devices.epochOf
SELECT epoch FROM device_key_epoch
 WHERE organisation_id = :organisationId AND user_id = :userId;
