import { basename } from 'node:path';
import type { Logger } from 'pino';
import type { HarbourConfig } from '../infra/config/config';
import { createScratchDatabase } from '../infra/database/backup/scratch-database';
import type { DatabaseEndpoint } from '../infra/database/database-endpoint';
import { checkRestored, restorePair } from './restore-pair';

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
 * The restore rehearsal (`harbour backup --verify`): restores a data backup and a keyring
 * backup into a throw-away pair of databases on the same server, exactly as a restore does
 * (keyring first, data, reconciled), then checks (a) every table's row count and checksum (the
 * restored tables are copied out again and compared with the manifest), (b) every
 * organisation's access log against its signed checkpoints, (c) that every sealed field of
 * every organisation opens with the configured key provider; and drops both databases.
 */
export async function rehearse(
  files: { readonly data: string; readonly keyring: string },
  backupKey: Uint8Array,
  config: HarbourConfig,
  database: DatabaseEndpoint,
  logger: Logger,
): Promise<Rehearsal> {
  const scratch = await createScratchDatabase(config, database);
  const lines: string[] = [];
  try {
    const restored = await restorePair({
      dataFile: files.data,
      keyring: { file: files.keyring },
      backupKey,
      target: scratch,
      keyringTarget: scratch.keyring,
      recheck: true,
      now: new Date(),
      onTable: (table, i, total) => process.stderr.write(`  [${i + 1}/${total}] ${table}\n`),
    });
    const { data, keyring, reconciled } = restored;
    const tables = data.tables + (keyring?.tables ?? 0);
    const rechecked = data.rechecked + (keyring?.rechecked ?? 0);
    lines.push(
      `Restored ${basename(files.data)} (backup of ${data.manifest.createdAt}) into ${scratch.name}: ${data.tables} tables, ${data.rows} rows`,
      `Restored ${basename(files.keyring)} (backup of ${keyring?.manifest.createdAt ?? '?'}): ${keyring?.rows ?? 0} keys`,
      `Checksums match for ${rechecked}/${tables} tables`,
      `Reconciled with the keyring: ${reconciled.keysMarkedDestroyed} key(s) marked destroyed, ${reconciled.erasuresCompleted} erasure(s) completed again`,
    );
    const checks = await checkRestored({
      config,
      logger,
      appUrl: scratch.appUrl,
      keyringAppUrl: scratch.keyring.appUrl,
      ownerUrl: scratch.ownerUrl,
      fields: true,
    });
    const { audit, fields } = checks;
    for (const f of checks.failedOrganisations) {
      lines.push(`Access log of ${f.organisationId}: FAILED at index ${String(f.firstBadIndex)}`);
    }
    lines.push(
      `Access log: ${audit.verified} organisation(s) verified (${audit.events} events), ${audit.failed} failed`,
    );
    for (const [field, count] of Object.entries(fields!.fields)) {
      lines.push(`  ${field}: ${count.opened} opened, ${count.failed} failed`);
    }
    for (const column of fields!.unknownColumns) {
      lines.push(`  ${column}: an envelope column the field check does not know (FAILED)`);
    }
    lines.push(`Sealed fields: ${fields!.opened} opened, ${fields!.failed} failed`);
    if (reconciled.organisationsWithoutCurrentKeys > 0) {
      lines.push(
        `FAILED: ${reconciled.organisationsWithoutCurrentKeys} organisation(s) have a current data key or KEK the keyring no longer holds`,
      );
    }
    const ok =
      rechecked === tables &&
      audit.failed === 0 &&
      fields!.failed === 0 &&
      reconciled.organisationsWithoutCurrentKeys === 0;
    lines.push(
      ok
        ? `Rehearsal passed; ${scratch.name} dropped.`
        : `Rehearsal FAILED; ${scratch.name} dropped.`,
    );
    return {
      ok,
      tables,
      rows: data.rows,
      bytes: 0,
      detail: {
        createdAt: data.manifest.createdAt,
        keyringCreatedAt: keyring?.manifest.createdAt ?? null,
        rows: Object.fromEntries(data.manifest.tables.map((t) => [t.name, t.rows])),
        keys: keyring?.rows ?? 0,
        reconciled,
        audit,
        fields: fields!.fields,
        unknownColumns: fields!.unknownColumns,
      },
      lines,
    };
  } finally {
    await scratch.drop();
  }
}
