-- Generated from the statements in apps/api/src/data by sql-files.spec.ts.
-- Do not edit: change the statement in its repository, then run `npm run sql`.

-- personErasures.cancelOpenFollowUps
UPDATE follow_up SET status = 'cancelled', completed_at = :now, completed_by = :closedBy,
          updated_at = :now, version = version + 1
    WHERE organisation_id = :organisationId AND person_id = :personId AND status = 'open'
   RETURNING id;

-- personErasures.find
SELECT identity_fields, index_entries_removed, keys_destroyed, notes_shredded,
          follow_ups_cancelled, erased_at, backups_clear_at
     FROM person_erasure
    WHERE organisation_id = :organisationId AND person_id = :personId;

-- personErasures.insert
INSERT INTO person_erasure (organisation_id, id, person_id, identity_fields,
          index_entries_removed, keys_destroyed, notes_shredded, follow_ups_cancelled,
          erased_at, backups_clear_at)
   VALUES (:organisationId, :id, :personId, :identityFields, :indexEntriesRemoved,
           :keysDestroyed, :notesShredded, :followUpsCancelled, :erasedAt, :backupsClearAt);

-- personErasures.openFollowUps
SELECT count(*)::int AS n FROM follow_up
    WHERE organisation_id = :organisationId AND person_id = :personId AND status = 'open';
