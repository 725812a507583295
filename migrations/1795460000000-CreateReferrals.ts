import type { MigrationInterface, QueryRunner } from 'typeorm';

const TENANT_TABLES = ['partner', 'referral', 'referral_event'] as const;

/**
 * Partner directory and referrals (docs/design.md §3): `partner` with safety attributes, `referral`
 * with its consent record (or an encrypted override reason) and a CHECK that no referral leaves
 * draft without one of them, and `referral_event` (its history). Row-level security on all.
 */
export class CreateReferrals1795460000000 implements MigrationInterface {
  name = 'CreateReferrals1795460000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "partner" ("organisation_id" uuid NOT NULL, "id" uuid NOT NULL, "name" text NOT NULL, "service_type" text NOT NULL, "languages" text array NOT NULL DEFAULT '{}', "sex_worker_friendly" boolean NOT NULL DEFAULT false, "no_id_required" boolean NOT NULL DEFAULT false, "interpreters" boolean NOT NULL DEFAULT false, "immigration_safe" boolean NOT NULL DEFAULT false, "free" boolean NOT NULL DEFAULT false, "contact_details" text, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT '1', CONSTRAINT "partner_languages" CHECK ("languages" <@ ARRAY['english', 'thai', 'vietnamese', 'chinese_mandarin', 'chinese_cantonese', 'korean', 'japanese', 'indonesian_malay', 'tagalog', 'khmer', 'lao', 'burmese', 'nepali', 'hindi_urdu', 'spanish', 'portuguese', 'romanian', 'bulgarian', 'russian', 'arabic', 'other']::text[]), CONSTRAINT "partner_service_type" CHECK ("service_type" IN ('legal_aid', 'sexual_health', 'migration_advice', 'embassy_consulate', 'trafficking_support', 'housing', 'counselling', 'health', 'financial', 'employment', 'other')), CONSTRAINT "partner_name_length" CHECK (char_length("name") BETWEEN 1 AND 200), CONSTRAINT "partner_pkey" PRIMARY KEY ("organisation_id", "id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "referral" ("organisation_id" uuid NOT NULL, "id" uuid NOT NULL, "need_id" uuid NOT NULL, "person_id" uuid, "partner_id" uuid NOT NULL, "status" text NOT NULL DEFAULT 'draft', "consent_method" text, "consent_scope" text array NOT NULL DEFAULT '{}', "consent_at" TIMESTAMP WITH TIME ZONE, "consent_by" uuid, "override_reason" bytea, "override_by" uuid, "closed_at" TIMESTAMP WITH TIME ZONE, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT '1', CONSTRAINT "referral_left_draft_with_consent" CHECK ("status" IN ('draft', 'declined_by_client', 'withdrawn') OR "consent_method" IS NOT NULL OR "override_reason" IS NOT NULL), CONSTRAINT "referral_override_reason_envelope" CHECK ("override_reason" IS NULL OR (octet_length("override_reason") >= 46 AND get_byte("override_reason", 0) = 1)), CONSTRAINT "referral_consent_complete" CHECK (("consent_method" IS NULL) = ("consent_at" IS NULL) AND ("consent_method" IS NULL) = ("consent_by" IS NULL)), CONSTRAINT "referral_consent_scope" CHECK ("consent_scope" <@ ARRAY['name', 'contact_details', 'date_of_birth', 'nationality', 'circumstances', 'needs', 'notes']::text[]), CONSTRAINT "referral_consent_method" CHECK ("consent_method" IS NULL OR "consent_method" IN ('verbal', 'written')), CONSTRAINT "referral_status" CHECK ("status" IN ('draft', 'consented', 'sent', 'accepted', 'completed', 'declined_by_partner', 'declined_by_client', 'withdrawn', 'lost_contact')), CONSTRAINT "referral_pkey" PRIMARY KEY ("organisation_id", "id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "referral_partner" ON "referral"("organisation_id", "partner_id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "referral_person" ON "referral"("organisation_id", "person_id")`,
    );
    await queryRunner.query(
      `CREATE TABLE "referral_event" ("organisation_id" uuid NOT NULL, "id" uuid NOT NULL, "referral_id" uuid NOT NULL, "from_status" text, "to_status" text NOT NULL, "actor_id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "referral_event_from" CHECK ("from_status" IS NULL OR "from_status" IN ('draft', 'consented', 'sent', 'accepted', 'completed', 'declined_by_partner', 'declined_by_client', 'withdrawn', 'lost_contact')), CONSTRAINT "referral_event_to" CHECK ("to_status" IN ('draft', 'consented', 'sent', 'accepted', 'completed', 'declined_by_partner', 'declined_by_client', 'withdrawn', 'lost_contact')), CONSTRAINT "referral_event_pkey" PRIMARY KEY ("organisation_id", "id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "partner" ADD CONSTRAINT "partner_organisation_fk" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "referral" ADD CONSTRAINT "referral_need_fk" FOREIGN KEY ("organisation_id", "need_id") REFERENCES "support_need"("organisation_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "referral" ADD CONSTRAINT "referral_person_fk" FOREIGN KEY ("organisation_id", "person_id") REFERENCES "person"("organisation_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "referral" ADD CONSTRAINT "referral_partner_fk" FOREIGN KEY ("organisation_id", "partner_id") REFERENCES "partner"("organisation_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "referral_event" ADD CONSTRAINT "referral_event_referral_fk" FOREIGN KEY ("organisation_id", "referral_id") REFERENCES "referral"("organisation_id","id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    for (const table of TENANT_TABLES) {
      await queryRunner.query(`ALTER TABLE "${table}" ENABLE ROW LEVEL SECURITY`);
      await queryRunner.query(`ALTER TABLE "${table}" FORCE ROW LEVEL SECURITY`);
      await queryRunner.query(`
        CREATE POLICY "${table}_tenant_isolation" ON "${table}"
          USING ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)
          WITH CHECK ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)`);
    }
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON "partner" TO "harbour_api"`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON "referral" TO "harbour_api"`);
    // History is only ever added to.
    await queryRunner.query(`GRANT SELECT, INSERT ON "referral_event" TO "harbour_api"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "referral_event"`);
    await queryRunner.query(`DROP TABLE "referral"`);
    await queryRunner.query(`DROP TABLE "partner"`);
  }
}
