import 'reflect-metadata';
import { MIGRATIONS } from '@harbour/migrations';
import { ConfigError, loadConfig } from './infra/config/config';
import { openDatabaseEndpoint } from './infra/database/database-endpoint';
import { runMigrations } from './infra/database/data-source';
import { createLogger, describeError } from './infra/logging/logger';

/**
 * Operator CLI: `npm run harbour -- <command>` in development, `node dist/apps/api/cli.js
 * <command>` in a deployment (the compose file runs `migrate` as a one-off before the API).
 */
const COMMANDS: Readonly<Record<string, string>> = {
  migrate: 'apply pending database migrations as the owner role (DATABASE_MIGRATION_URL)',
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
    needsMasterKey: false,
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
      default:
        return 64;
    }
  } finally {
    await database.close();
  }
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
