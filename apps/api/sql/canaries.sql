-- Generated from the statements in apps/api/src/data by sql-files.spec.ts.
-- Do not edit: change the statement in its repository, then run `npm run sql`.

-- canaries.save
INSERT INTO canary (organisation_id, id, sealed) VALUES (:organisationId, :id, :sealed)
ON CONFLICT (organisation_id, id) DO UPDATE SET sealed = EXCLUDED.sealed;
