import { basename } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { MIGRATIONS } from '@harbour/migrations';
import type { Logger } from 'pino';
import { AppModule } from '../app/app.module';
import { AuditVerifier } from '../app/audit/audit-verifier.service';
import { checkSealedFields } from '../core/keyring/field-check';
import { KeyringService } from '../core/keyring/keyring.service';
import type { HarbourConfig } from '../infra/config/config';
import { dataSchemaSteps } from '../infra/database/backup/data-schema';
import { restoreBackup } from '../infra/database/backup/restore-backup';
import type { DatabaseEndpoint } from '../infra/database/database-endpoint';
import { organisationIds } from '../infra/database/owner-queries';
import { Db } from '../infra/database/transaction';
import { NestPinoLogger } from '../infra/logging/logger';
import { createScratchDatabase } from '../infra/database/backup/scratch-database';

export interface Rehearsal {
  readonly ok: boolean;
  readonly tables: number;
  readonly rows: number;
  readonly bytes: number;
  /** Counts only: per table rows, per sealed field opened/failed, access-log results. */
  readonly detail: Record<string, unknown>;
  /** What the operator reads (counts and names of tables and fields, never a value). */
  readonly lines: string[];
}

/**
 * The restore rehearsal (`harbour backup --verify`): restores a backup into a throw-away
 * database on the same server, then checks (a) every table's row count and checksum (the
 * restored tables are copied out again and compared with the manifest), (b) every
 * organisation's access log against its signed checkpoints, (c) that every sealed field of
 * every organisation opens with the configured key provider; and drops the database.
 */
export async function rehearse(
  file: string,
  backupKey: Uint8Array,
  config: HarbourConfig,
  database: DatabaseEndpoint,
  logger: Logger,
): Promise<Rehearsal> {
  const scratch = await createScratchDatabase(config, database);
  const lines: string[] = [];
  try {
    const restored = await restoreBackup({
      file,
      backupKey,
      kind: 'data',
      targetUrl: scratch.adminUrl,
      ...dataSchemaSteps(scratch.ownerUrl, MIGRATIONS),
      recheck: true,
      onTable: (table, i, total) => process.stderr.write(`  [${i + 1}/${total}] ${table}\n`),
    });
    lines.push(
      `Restored ${basename(file)} (backup of ${restored.manifest.createdAt}) into ${scratch.name}: ${restored.tables} tables, ${restored.rows} rows; checksums match for ${restored.rechecked}/${restored.tables} tables`,
    );
    const app = await NestFactory.createApplicationContext(
      AppModule.forRoot({ config, databaseUrl: scratch.appUrl, logger, jobs: false }),
      { logger: new NestPinoLogger(logger) },
    );
    try {
      const verifier = app.get(AuditVerifier);
      const audit = { verified: 0, failed: 0, events: 0 };
      for (const organisationId of await organisationIds(scratch.ownerUrl)) {
        const result = await verifier.verify(organisationId, {});
        if (result.status === 'verified') {
          audit.verified++;
          audit.events += result.checkedEvents;
        } else {
          audit.failed++;
          lines.push(`Access log of ${organisationId}: FAILED at index ${result.firstBadIndex}`);
        }
      }
      lines.push(
        `Access log: ${audit.verified} organisation(s) verified (${audit.events} events), ${audit.failed} failed`,
      );
      const fields = await checkSealedFields({
        ownerUrl: scratch.ownerUrl,
        db: app.get(Db),
        keyring: app.get(KeyringService),
      });
      for (const [field, count] of Object.entries(fields.fields)) {
        lines.push(`  ${field}: ${count.opened} opened, ${count.failed} failed`);
      }
      for (const column of fields.unknownColumns) {
        lines.push(`  ${column}: an envelope column the field check does not know (FAILED)`);
      }
      lines.push(`Sealed fields: ${fields.opened} opened, ${fields.failed} failed`);
      const ok =
        restored.rechecked === restored.tables && audit.failed === 0 && fields.failed === 0;
      lines.push(
        ok
          ? `Rehearsal passed; ${scratch.name} dropped.`
          : `Rehearsal FAILED; ${scratch.name} dropped.`,
      );
      return {
        ok,
        tables: restored.tables,
        rows: restored.rows,
        bytes: 0,
        detail: {
          createdAt: restored.manifest.createdAt,
          rows: Object.fromEntries(restored.manifest.tables.map((t) => [t.name, t.rows])),
          audit,
          fields: fields.fields,
          unknownColumns: fields.unknownColumns,
        },
        lines,
      };
    } finally {
      await app.close();
    }
  } finally {
    await scratch.drop();
  }
}
