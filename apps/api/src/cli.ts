import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { isUuid } from '@harbour/domain';
import { MIGRATIONS } from '@harbour/migrations';
import { AppModule } from './app/app.module';
import { StaffBootstrap } from './app/users/staff-bootstrap.service';
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { AuditVerifier } from './app/audit/audit-verifier.service';
import { MasterKeyRotation } from './core/keyring/master-key-rotation';
import { SimilarNameReindex } from './core/records/similar-name-reindex';
import { Db } from './infra/database/transaction';
import { parseWitnessText } from './app/audit/audit-witness.service';
import { verificationDetails } from './app/audit/verification-details';
import { ConfigError, loadConfig, type HarbourConfig } from './infra/config/config';
import type { DatabaseEndpoint } from './infra/database/database-endpoint';
import { openDatabaseEndpoint } from './infra/database/database-endpoint';
import { runMigrations } from './infra/database/data-source';
import { createLogger, describeError, NestPinoLogger } from './infra/logging/logger';
import { organisationIds } from './infra/database/owner-queries';
import { backupCommand, restoreCommand } from './cli/backup-commands';
import { jobsCommand } from './cli/jobs-command';
import { purgeCommand } from './cli/purge-command';
import { ProgressBar } from './cli/progress-bar';

/**
 * Operator CLI: `npm run harbour -- <command>` in development, `node dist/apps/api/cli.js
 * <command>` in a deployment (the compose file runs `migrate` as a one-off before the API).
 */
const COMMANDS: Readonly<Record<string, string>> = {
  migrate: 'apply pending database migrations as the owner role (DATABASE_MIGRATION_URL)',
  'create-admin':
    'create an organisation and its first admin: --org "Name" --email admin@example.org [--name "Display name"]; prints a one-time password',
  'add-admin':
    'add an admin to an organisation that has fewer than two (separation of duties needs two): --org <organisation id> --email admin2@example.org [--name "Display name"]; prints a one-time password',
  'verify-audit':
    'verify the access log of every organisation (or --org <id>) against its signed checkpoints; --checkpoint <file> also checks a witnessed checkpoint',
  'rotate-master-key':
    're-wrap every KEK still wrapped by the previous master key (HARBOUR_PREVIOUS_MASTER_KEY_FILE) with the current one (HARBOUR_MASTER_KEY_FILE); resumable; --org <id> for one organisation',
  jobs: "an organisation's background jobs (key rotations) and their progress: --org <id>; --follow <job id> shows a progress bar until the job ends",
  backup:
    'write encrypted, checked backups of the data database (HARBOUR_BACKUP_DIR, or --out <file>) and then of the keyring (HARBOUR_KEYRING_BACKUP_DIR; keyring backups older than the backup window are deleted); --verify [--from <file>] [--keyring-from <file>] rehearses a restore of the newest (or given) pair into throw-away databases and checks tables, access log and every sealed field',
  restore:
    'restore a data backup into an EMPTY database with its keyring: --from <file> and --into <url of the owner role or a superuser> or --into-new <name> (created on the same server); the keyring from --keyring-from <file>, the keyring database beside the target if it holds one, or the newest keyring backup; erasures since the backup are finished again and the access log verified; needs the master key',
  'reindex-names':
    'give people indexed before the similar-name index (ADR 0010) their phonetic and transliteration rows, from their decrypted names: --org <id>, or every organisation; resumable',
  purge:
    "remove what the retention settings make due now (people crypto-shredded as erasure does), in every organisation not in lockdown or --org <organisation id>; --dry-run lists it (counts per class, oldest and newest dates, people's codes) and changes nothing",
  help: 'show this list',
};

async function run(argv: readonly string[]): Promise<number> {
  const command = argv[0] ?? 'help';
  if (command === 'help' || command === '--help' || !(command in COMMANDS)) {
    const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
    const lines = Object.entries(COMMANDS).map(
      ([name, text]) => `  ${name.padEnd(width)}  ${text}`,
    );
    process.stdout.write(`Usage: harbour <command>\n\nCommands:\n${lines.join('\n')}\n`);
    return command === 'help' || command === '--help' ? 0 : 64;
  }

  const config = loadConfig({ ...process.env, HARBOUR_MIGRATE_ON_START: 'false' }, process.cwd(), {
    // A backup copies ciphertext only; a restore checks the master key itself (refusing early).
    needsMasterKey: command !== 'migrate' && command !== 'backup' && command !== 'restore',
  });
  const logger = createLogger(config.logLevel === 'warn' ? 'info' : config.logLevel);
  const database = await openDatabaseEndpoint(config, (message) => logger.info(message));
  try {
    switch (command) {
      case 'migrate': {
        if (database.ownerUrl === null) {
          logger.error('set DATABASE_MIGRATION_URL (the owner role) to run migrations');
          return 78;
        }
        const applied = await runMigrations(database.ownerUrl, MIGRATIONS);
        logger.info(
          { applied },
          applied.length > 0 ? 'migrations applied' : 'schema is up to date',
        );
        return 0;
      }
      case 'create-admin':
      case 'add-admin': {
        const { values } = parseArgs({
          args: argv.slice(1),
          options: { org: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' } },
          strict: true,
        });
        if (
          values.org === undefined ||
          values.email === undefined ||
          (command === 'add-admin' && !isUuid(values.org))
        ) {
          process.stderr.write(
            command === 'create-admin'
              ? 'create-admin needs --org "Organisation name" and --email address\n'
              : 'add-admin needs --org <organisation id> and --email address\n',
          );
          return 64;
        }
        const app = await operatorApp(config, database, logger);
        try {
          // The bootstrap (ADR 0008): no admin exists yet who could approve the first accounts,
          // so the operator creates admins directly — only admins, and only until there are two.
          const bootstrap = app.get(StaffBootstrap);
          const admin = { email: values.email, displayName: values.name ?? values.email };
          const created =
            command === 'create-admin'
              ? await bootstrap.createOrganisation(values.org, admin)
              : await bootstrap.addAdmin(values.org, admin);
          process.stdout.write(
            (command === 'create-admin'
              ? `Created organisation "${values.org}" (${created.organisationId}) and admin ${values.email}.\n`
              : `Added admin ${values.email} to organisation ${created.organisationId}.\n`) +
              `One-time password (hand it over privately; it must be changed at first sign-in):\n\n  ${created.oneTimePassword}\n\n` +
              'At first sign-in the admin also enrols a TOTP authenticator.\n' +
              (command === 'create-admin'
                ? 'Add a second admin (harbour add-admin) before staff with case roles: each such account needs a second admin to approve it.\n'
                : ''),
          );
        } finally {
          await app.close();
        }
        return 0;
      }
      case 'verify-audit':
        return await verifyAudit(argv.slice(1), config, database, logger);
      case 'rotate-master-key':
        return await rotateMasterKey(argv.slice(1), config, database, logger);
      case 'jobs':
        return await jobsCommand(argv.slice(1), () => operatorApp(config, database, logger));
      case 'purge':
        return await purgeCommand(argv.slice(1), () => operatorApp(config, database, logger));
      case 'reindex-names':
        return await reindexNames(argv.slice(1), config, database, logger);
      case 'backup':
        return await backupCommand(argv.slice(1), config, database, logger);
      case 'restore':
        return await restoreCommand(argv.slice(1), config, database, logger);
      default:
        return 64;
    }
  } finally {
    await database.close();
  }
}

/** The organisations a command covers: `--org`, or every one (needs the owner role to list). */
/** The application as the operator commands use it: the API role, no periodic tasks. */
function operatorApp(config: HarbourConfig, database: DatabaseEndpoint, logger: Logger) {
  return NestFactory.createApplicationContext(
    AppModule.forRoot({ config, databaseUrl: database.appUrl, logger, jobs: false }),
    { logger: new NestPinoLogger(logger) },
  );
}

async function organisationsOf(
  org: string | undefined,
  database: DatabaseEndpoint,
  command: string,
): Promise<string[] | null> {
  if (org !== undefined) return [org];
  if (database.ownerUrl !== null) return organisationIds(database.ownerUrl);
  process.stderr.write(
    `${command} needs --org <organisation id> (or DATABASE_MIGRATION_URL to list them)\n`,
  );
  return null;
}

async function rotateMasterKey(
  args: readonly string[],
  config: HarbourConfig,
  database: DatabaseEndpoint,
  logger: Logger,
): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: { org: { type: 'string' } },
    strict: true,
  });
  const organisations = await organisationsOf(values.org, database, 'rotate-master-key');
  if (organisations === null) return 64;
  const app = await operatorApp(config, database, logger);
  let failures = 0;
  let rewrapped = 0;
  const rotation = app.get(MasterKeyRotation);
  try {
    const db = app.get(Db);
    const bar = new ProgressBar('organisations');
    for (const [i, organisationId] of organisations.entries()) {
      try {
        const result = await db.transaction(organisationId, (tx) =>
          rotation.rewrapOrganisation(tx, organisationId),
        );
        rewrapped += result.rewrapped;
        process.stdout.write(
          `${organisationId}: ${result.rewrapped} KEK(s) re-wrapped, ${result.already} already under the current master key\n`,
        );
      } catch (error) {
        failures++;
        process.stdout.write(
          `${organisationId}: FAILED (${String(describeError(error)['type'])}): a KEK is wrapped by a master key this configuration does not hold, or the key provider did not answer; nothing of this organisation changed\n`,
        );
      }
      bar.update(i + 1, organisations.length);
    }
    bar.done();
  } finally {
    await app.close();
  }
  process.stdout.write(
    failures === 0
      ? `Done: ${rewrapped} KEK(s) re-wrapped; every KEK is wrapped by ${rotation.currentId}. Remove HARBOUR_PREVIOUS_MASTER_KEY(_FILE) from every instance, then destroy the old key file.\n`
      : `${failures} organisation(s) failed; run the command again (it resumes where it stopped).\n`,
  );
  return failures === 0 ? 0 : 2;
}

/** `harbour reindex-names [--org <id>]`: the similar-name re-index, organisation by organisation. */
async function reindexNames(
  args: readonly string[],
  config: HarbourConfig,
  database: DatabaseEndpoint,
  logger: Logger,
): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: { org: { type: 'string' } },
    strict: true,
  });
  if (values.org !== undefined && !isUuid(values.org)) {
    process.stderr.write('reindex-names needs --org <organisation id>\n');
    return 64;
  }
  const organisations = await organisationsOf(values.org, database, 'reindex-names');
  if (organisations === null) return 64;
  const app = await operatorApp(config, database, logger);
  try {
    const db = app.get(Db);
    const reindex = app.get(SimilarNameReindex);
    for (const organisationId of organisations) {
      const done = await reindex.all(
        (work) => db.transaction(organisationId, work),
        organisationId,
      );
      process.stdout.write(
        `${organisationId}: ${done.people} person(s) re-indexed, ${done.rows} row(s) written\n`,
      );
    }
  } finally {
    await app.close();
  }
  return 0;
}

async function verifyAudit(
  args: readonly string[],
  config: HarbourConfig,
  database: DatabaseEndpoint,
  logger: Logger,
): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: { org: { type: 'string' }, checkpoint: { type: 'string' } },
    strict: true,
  });
  const organisations = await organisationsOf(values.org, database, 'verify-audit');
  if (organisations === null) return 64;
  const witness =
    values.checkpoint === undefined
      ? undefined
      : parseWitnessText(readFileSync(values.checkpoint, 'utf8'));
  const app = await operatorApp(config, database, logger);
  let failures = 0;
  try {
    const verifier = app.get(AuditVerifier);
    for (const organisationId of organisations) {
      const bar = new ProgressBar(`${organisationId.slice(0, 8)}…`);
      const result = await verifier.verify(organisationId, {
        ...(witness === undefined ? {} : { witness }),
        onProgress: (checked, total) => bar.update(checked, total),
      });
      bar.done();
      if (result.status === 'verified') {
        process.stdout.write(
          `${organisationId}: verified ${result.checkedEvents} events, ${result.checkpointsChecked} checkpoints${result.pruned ? ` (events before index ${result.pruned.before} pruned by retention)` : ''}\n`,
        );
      } else {
        failures++;
        process.stdout.write(
          `${organisationId}: FAILED at index ${result.firstBadIndex}: ${result.problem}\n`,
        );
      }
      process.stdout.write(`${verificationDetails(result)}\n`);
    }
  } finally {
    await app.close();
  }
  return failures === 0 ? 0 : 2;
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    const logger = createLogger('error');
    logger.fatal(
      { err: describeError(error), detail: error instanceof Error ? error.message : undefined },
      'command failed',
    );
    process.exit(1);
  },
);
