import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { MIGRATIONS } from '@harbour/migrations';
import type { Logger } from 'pino';
import { AppModule } from '../app/app.module';
import { AuditVerifier } from '../app/audit/audit-verifier.service';
import { checkSealedFields, type FieldCheckResult } from '../core/keyring/field-check';
import { KeyringService } from '../core/keyring/keyring.service';
import {
  keyringHoldsKeys,
  reconcileWithKeyring,
  type ReconcileResult,
} from '../data/keys/keyring-reconcile';

import type { HarbourConfig } from '../infra/config/config';
import { BackupError } from '../infra/database/backup/backup-errors';
import { BackupFileReader } from '../infra/database/backup/backup-format';
import { dataSchemaSteps } from '../infra/database/backup/data-schema';
import { keyringSchemaSteps } from '../infra/database/backup/keyring-backups';
import { restoreBackup, type RestoredBackup } from '../infra/database/backup/restore-backup';
import { organisationIds } from '../infra/database/owner-queries';
import { Db } from '../infra/database/transaction';
import { NestPinoLogger } from '../infra/logging/logger';

/** A database to restore into, as the role that loads (may set `session_replication_role`) and its owner. */
export interface RestoreTarget {
  readonly adminUrl: string;
  readonly ownerUrl: string;
}

/** Where the restored data's keys come from. */
export type KeyringSource =
  /** A keyring backup, restored into the (empty) keyring database beside the target. */
  | { readonly file: string }
  /** The keyring database beside the target already holds the keyring (it survived). */
  | 'present';

export interface RestoredPair {
  readonly data: RestoredBackup;
  readonly keyring: RestoredBackup | null;
  readonly reconciled: ReconcileResult;
}

async function headerOf(file: string, key: Uint8Array) {
  const reader = await BackupFileReader.open(file, key);
  try {
    return reader.header;
  } finally {
    reader.close();
  }
}

/**
 * Restores a data backup together with a keyring (docs/operations.md "Restore"): the keyring
 * first (a backup no older than the data backup, or the keyring already beside the target),
 * then the data, then the two are reconciled — a key the keyring no longer holds is marked
 * destroyed, and a person erased since the data backup was taken is erased again (identity and
 * blind-index rows gone), so an old data backup never brings back someone who asked to be
 * forgotten.
 */
export async function restorePair(options: {
  readonly dataFile: string;
  readonly keyring: KeyringSource;
  readonly backupKey: Uint8Array;
  readonly target: RestoreTarget;
  readonly keyringTarget: RestoreTarget;
  readonly recheck?: boolean;
  readonly now: Date;
  readonly onTable?: (table: string, index: number, total: number) => void;
}): Promise<RestoredPair> {
  const dataHeader = await headerOf(options.dataFile, options.backupKey);
  let keyring: RestoredBackup | null = null;
  if (options.keyring === 'present') {
    if (!(await keyringHoldsKeys(options.keyringTarget.ownerUrl))) {
      throw new BackupError(
        'keyring_missing',
        'the keyring database beside the target holds no keys: pass a keyring backup (--keyring-from)',
      );
    }
  } else {
    const keyringHeader = await headerOf(options.keyring.file, options.backupKey);
    if (Date.parse(keyringHeader.createdAt) < Date.parse(dataHeader.createdAt)) {
      throw new BackupError(
        'keyring_older_than_data',
        'the keyring backup is older than the data backup: keys made in between would be missing; use the keyring backup taken with it or a newer one',
      );
    }
    keyring = await restoreBackup({
      file: options.keyring.file,
      backupKey: options.backupKey,
      kind: 'keyring',
      targetUrl: options.keyringTarget.adminUrl,
      ...keyringSchemaSteps(options.keyringTarget.ownerUrl),
      recheck: options.recheck,
    });
  }
  const data = await restoreBackup({
    file: options.dataFile,
    backupKey: options.backupKey,
    kind: 'data',
    targetUrl: options.target.adminUrl,
    ...dataSchemaSteps(options.target.ownerUrl, MIGRATIONS),
    recheck: options.recheck,
    onTable: options.onTable,
  });
  const dataClient = new Client({ connectionString: options.target.ownerUrl });
  const keyringClient = new Client({ connectionString: options.keyringTarget.ownerUrl });
  await dataClient.connect();
  await keyringClient.connect();
  try {
    const reconciled = await reconcileWithKeyring(dataClient, keyringClient, options.now);
    return { data, keyring, reconciled };
  } finally {
    await dataClient.end();
    await keyringClient.end();
  }
}

export interface RestoredChecks {
  readonly audit: { verified: number; failed: number; events: number };
  readonly failedOrganisations: { organisationId: string; firstBadIndex: number | null }[];
  readonly fields: FieldCheckResult | null;
}

/**
 * Boots the application on a restored pair and checks it as it would run: every organisation's
 * access log against its signed checkpoints and, when asked, that every sealed field opens.
 */
export async function checkRestored(options: {
  readonly config: HarbourConfig;
  readonly logger: Logger;
  readonly appUrl: string;
  readonly keyringAppUrl: string;
  readonly ownerUrl: string;
  readonly fields: boolean;
}): Promise<RestoredChecks> {
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot({
      config: options.config,
      databaseUrl: options.appUrl,
      keyringUrl: options.keyringAppUrl,
      logger: options.logger,
      jobs: false,
    }),
    { logger: new NestPinoLogger(options.logger) },
  );
  try {
    const verifier = app.get(AuditVerifier);
    const audit = { verified: 0, failed: 0, events: 0 };
    const failedOrganisations: RestoredChecks['failedOrganisations'] = [];
    for (const organisationId of await organisationIds(options.ownerUrl)) {
      const result = await verifier.verify(organisationId, {});
      if (result.status === 'verified') {
        audit.verified++;
        audit.events += result.checkedEvents;
      } else {
        audit.failed++;
        failedOrganisations.push({ organisationId, firstBadIndex: result.firstBadIndex ?? null });
      }
    }
    const fields = options.fields
      ? await checkSealedFields({
          ownerUrl: options.ownerUrl,
          db: app.get(Db),
          keyring: app.get(KeyringService),
        })
      : null;
    return { audit, failedOrganisations, fields };
  } finally {
    await app.close();
  }
}
