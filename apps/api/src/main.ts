import 'reflect-metadata';
import { ConfigError, loadConfig, type HarbourConfig } from './infra/config/config';
import { createLogger, describeError } from './infra/logging/logger';
import { startHarbour, type RunningHarbour } from './server';

const SHUTDOWN_TIMEOUT_MS = 20_000;

function main(): void {
  let config: HarbourConfig;
  try {
    config = loadConfig(process.env, process.cwd());
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }

  const logger = createLogger(config.logLevel);

  const startup: Promise<RunningHarbour | null> = startHarbour(config, logger).catch(
    (error: unknown) => {
      // Start-up errors come from our own code (configuration, database bootstrap, key file),
      // never from case data, so their message is safe and useful to show.
      const detail = error instanceof Error ? error.message.slice(0, 2000) : undefined;
      logger.fatal({ err: describeError(error), detail }, 'start-up failed');
      return null;
    },
  );

  let stopping = false;
  const shutdown = (reason: string, exitCode: number): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown timed out; stopping the database immediately');
      void startup.then((running) => running?.database.embedded?.kill());
      setTimeout(() => process.exit(1), 500).unref();
    }, SHUTDOWN_TIMEOUT_MS);
    force.unref();
    // A signal during start-up waits for start-up to finish, so nothing is left half-started.
    void startup
      .then(async (running) => {
        await running?.close();
        logger.info('stopped');
        logger.flush();
        process.exit(exitCode);
      })
      .catch((error: unknown) => {
        logger.error({ err: describeError(error) }, 'error during shutdown');
        process.exit(1);
      });
  };

  process.on('SIGINT', () => shutdown('SIGINT', 0));
  process.on('SIGTERM', () => shutdown('SIGTERM', 0));
  process.on('SIGHUP', () => shutdown('SIGHUP', 0));
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: describeError(error) }, 'uncaught exception');
    shutdown('uncaughtException', 1);
  });
  process.on('unhandledRejection', (error) => {
    logger.fatal({ err: describeError(error) }, 'unhandled rejection');
    shutdown('unhandledRejection', 1);
  });

  void startup.then((running) => {
    if (running === null) {
      logger.flush();
      process.exit(1);
    }
    if (!stopping) {
      logger.info({ url: running.url, database: config.database.mode }, 'listening');
    }
  });
}

main();
