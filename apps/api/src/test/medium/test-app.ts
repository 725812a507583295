import { randomBytes } from 'node:crypto';
import type { DynamicModule, Type } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { AppModule } from '../../app/app.module';
import { loadConfig, type HarbourConfig } from '../../infra/config/config';
import { configureApp } from '../../infra/http/configure-app';
import { createLogger, NestPinoLogger } from '../../infra/logging/logger';
import { ManualTimers, TimerSource } from '../../infra/jobs/timers';
import { Clock, FakeClock } from '../../infra/time/clock';
import type { TestDatabase } from './test-database';

export interface TestApp {
  readonly app: NestExpressApplication;
  readonly config: HarbourConfig;
  /** The application's clock: tests move time with it. */
  readonly clock: FakeClock;
  /**
   * The app's timers: hand-driven, so no periodic task ever runs unless the test advances them
   * (`timers.advance(ms)` runs what falls due, e.g. the access log's checkpoint task).
   */
  readonly timers: ManualTimers;
  /** Every log line the app wrote, as parsed JSON. */
  readonly logs: Record<string, unknown>[];
  /** The raw log output, for scanning. */
  rawLogs(): string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  readonly imports?: (Type | DynamicModule)[];
  readonly env?: Readonly<Record<string, string>>;
  /** Share one clock between apps (e.g. two API instances on one database). */
  readonly clock?: FakeClock;
  /** Share hand-driven timers between apps (with their shared clock). */
  readonly timers?: ManualTimers;
  /** The master key (base64); apps sharing a database must share it. */
  readonly masterKey?: string;
  /** Whether the app works background jobs (default false: tests run them by hand). */
  readonly workJobs?: boolean;
  /** Providers replaced by values (e.g. a timer's interval). */
  readonly overrides?: readonly { readonly provide: symbol; readonly useValue: unknown }[];
}

/** One master key for every test app of a run, so apps on one database can read its keyring. */
const TEST_MASTER_KEY = randomBytes(32).toString('base64');

/**
 * The real application (same module, same HTTP pipeline as `npm start`) on a test database,
 * with its logs captured in memory.
 */
export async function createTestApp(
  db: TestDatabase,
  options: TestAppOptions = {},
): Promise<TestApp> {
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      DATABASE_URL: db.appUrl,
      HARBOUR_MIGRATE_ON_START: 'false',
      HARBOUR_SEED_DEMO: 'false',
      HARBOUR_MASTER_KEY: options.masterKey ?? TEST_MASTER_KEY,
      HARBOUR_CONSOLE_DIR: 'none',
      HARBOUR_AUDIT_WITNESS_DIR: 'none',
      LOG_LEVEL: 'info',
      ...options.env,
    },
    process.cwd(),
  );
  const lines: string[] = [];
  const logger = createLogger(config.logLevel, { write: (line: string) => void lines.push(line) });
  const clock = options.clock ?? new FakeClock();
  const timers = options.timers ?? new ManualTimers(clock);
  const builder = Test.createTestingModule({
    imports: [
      AppModule.forRoot({
        config,
        databaseUrl: db.appUrl,
        logger,
        workJobs: options.workJobs ?? false,
      }),
      ...(options.imports ?? []),
    ],
  })
    .overrideProvider(Clock)
    .useValue(clock)
    .overrideProvider(TimerSource)
    .useValue(timers);
  for (const override of options.overrides ?? [])
    builder.overrideProvider(override.provide).useValue(override.useValue);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({
    bodyParser: false,
    logger: new NestPinoLogger(logger),
  });
  configureApp(app, config, logger);
  await app.init();
  return {
    app,
    config,
    clock,
    timers,
    get logs() {
      return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    rawLogs: () => lines.join(''),
    close: () => app.close(),
  };
}
