import type { MigrationInterface, QueryRunner } from 'typeorm';

const TENANT_TABLES = ['contact', 'support_need'] as const;

/**
 * Contacts and support needs (docs/design.md §3): `contact` (individual or group, class C columns,
 * notes encrypted under the organisation key with an envelope CHECK) and `support_need` (of a
 * person or noted on a contact); row-level security on both.
 */
export class CreateContacts1795450000000 implements MigrationInterface {
  name = 'CreateContacts1795450000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "contact" ("organisation_id" uuid NOT NULL, "id" uuid NOT NULL, "kind" text NOT NULL, "person_id" uuid, "headcount" integer NOT NULL DEFAULT '1', "occurred_on" date NOT NULL, "channel" text NOT NULL, "location_type" text NOT NULL, "language_group" text, "interpreter_used" boolean NOT NULL DEFAULT false, "peer_led" boolean NOT NULL DEFAULT false, "circumstances" text array NOT NULL DEFAULT '{}', "notes" bytea, "caseworker_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT '1', CONSTRAINT "contact_notes_envelope" CHECK ("notes" IS NULL OR (octet_length("notes") >= 46 AND get_byte("notes", 0) = 1)), CONSTRAINT "contact_circumstances" CHECK ("circumstances" <@ ARRAY['post_raid', 'cjsv', 'immigration_detention', 'police_contact', 'court_process', 'visa_concern', 'debt_or_contract', 'workplace_exploitation', 'violence', 'health_emergency']::text[]), CONSTRAINT "contact_language_group" CHECK ("language_group" IS NULL OR "language_group" IN ('english', 'thai', 'vietnamese', 'chinese_mandarin', 'chinese_cantonese', 'korean', 'japanese', 'indonesian_malay', 'tagalog', 'khmer', 'lao', 'burmese', 'nepali', 'hindi_urdu', 'spanish', 'portuguese', 'romanian', 'bulgarian', 'russian', 'arabic', 'other')), CONSTRAINT "contact_location_type" CHECK ("location_type" IN ('drop_in_centre', 'outreach_venue', 'street', 'private_residence', 'online_or_phone', 'police_station', 'immigration_detention', 'court', 'health_service', 'other')), CONSTRAINT "contact_channel" CHECK ("channel" IN ('in_person', 'phone', 'text', 'online', 'outreach_visit', 'drop_in')), CONSTRAINT "contact_headcount" CHECK (("kind" = 'individual' AND "headcount" = 1) OR ("kind" = 'group' AND "person_id" IS NULL AND "headcount" BETWEEN 2 AND 500)), CONSTRAINT "contact_kind" CHECK ("kind" IN ('individual', 'group')), CONSTRAINT "contact_pkey" PRIMARY KEY ("organisation_id", "id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "contact_person" ON "contact"("organisation_id", "person_id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "contact_recent" ON "contact"("organisation_id", "occurred_on", "id")`,
    );
    await queryRunner.query(
      `CREATE TABLE "support_need" ("organisation_id" uuid NOT NULL, "id" uuid NOT NULL, "person_id" uuid, "contact_id" uuid, "category" text NOT NULL, "priority" text NOT NULL DEFAULT 'medium', "status" text NOT NULL DEFAULT 'identified', "identified_on" date NOT NULL, "closed_on" date, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT '1', CONSTRAINT "support_need_closed" CHECK (("closed_on" IS NULL) = ("status" IN ('identified', 'in_progress'))), CONSTRAINT "support_need_status" CHECK ("status" IN ('identified', 'in_progress', 'met', 'unmet', 'declined', 'withdrawn')), CONSTRAINT "support_need_priority" CHECK ("priority" IN ('low', 'medium', 'high', 'urgent')), CONSTRAINT "support_need_category" CHECK ("category" IN ('legal', 'migration_visa', 'health', 'sexual_health', 'mental_health', 'housing', 'financial', 'safety', 'workplace_rights', 'debt_contract', 'repatriation', 'language_interpreter', 'drug_harm_reduction', 'education_training', 'other')), CONSTRAINT "support_need_subject" CHECK ("person_id" IS NOT NULL OR "contact_id" IS NOT NULL), CONSTRAINT "support_need_pkey" PRIMARY KEY ("organisation_id", "id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "support_need_contact" ON "support_need"("organisation_id", "contact_id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "support_need_person" ON "support_need"("organisation_id", "person_id")`,
    );
    await queryRunner.query(
      `ALTER TABLE "contact" ADD CONSTRAINT "contact_organisation_fk" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "contact" ADD CONSTRAINT "contact_person_fk" FOREIGN KEY ("organisation_id", "person_id") REFERENCES "person"("organisation_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "support_need" ADD CONSTRAINT "support_need_person_fk" FOREIGN KEY ("organisation_id", "person_id") REFERENCES "person"("organisation_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "support_need" ADD CONSTRAINT "support_need_contact_fk" FOREIGN KEY ("organisation_id", "contact_id") REFERENCES "contact"("organisation_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    for (const table of TENANT_TABLES) {
      await queryRunner.query(`ALTER TABLE "${table}" ENABLE ROW LEVEL SECURITY`);
      await queryRunner.query(`ALTER TABLE "${table}" FORCE ROW LEVEL SECURITY`);
      await queryRunner.query(`
        CREATE POLICY "${table}_tenant_isolation" ON "${table}"
          USING ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)
          WITH CHECK ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)`);
    }
    // Contacts are a record of what happened: added, never changed or removed by the API.
    await queryRunner.query(`GRANT SELECT, INSERT ON "contact" TO "harbour_api"`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON "support_need" TO "harbour_api"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "support_need"`);
    await queryRunner.query(`DROP TABLE "contact"`);
  }
}
