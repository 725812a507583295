import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import type { Logger } from 'pino';
import { AccessGuard } from '../infra/auth/access';
import type { HarbourConfig } from '../infra/config/config';
import { ConfigModule } from '../infra/config/config.module';
import { CryptoModule } from '../infra/crypto/crypto.module';
import { TransactionInterceptor } from '../core/scope/transaction.interceptor';
import { TimeModule } from '../infra/time/time.module';
import { DatabaseModule } from '../infra/database/database.module';
import { ReplicaModule } from '../infra/database/replica.module';
import { AllExceptionsFilter } from '../infra/http/all-exceptions.filter';
import { JobsModule } from '../infra/jobs/jobs.module';
import { MetricsModule } from '../infra/metrics/metrics.module';
import { ENTITIES } from '../data/entities';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { BackupsModule } from './backups/backups.module';
import { RetentionModule } from './retention/retention.module';
import { SessionsModule } from '../core/sessions/sessions.module';
import { CanariesModule } from './canaries/canaries.module';
import { ContactsModule } from './contacts/contacts.module';
import { FollowUpsModule } from './follow-ups/follow-ups.module';
import { DisclosuresModule } from './disclosures/disclosures.module';
import { HealthModule } from './health/health.module';
import { IdempotencyModule } from '../core/idempotency/idempotency.module';
import { IntakeModule } from './intake/intake.module';
import { JobsApiModule } from './jobs/jobs.module';
import { KeysModule } from './keys/keys.module';
import { OrganisationModule } from './organisations/organisation.module';
import { keyringUrlFor } from '@harbour/migrations';
import { KeyringDatabaseModule } from '../infra/database/keyring-database.module';
import { ApiDocsModule } from './api-docs/api-docs.module';
import { ConsentsModule } from './consents/consents.module';
import { KeyWorkersModule } from './key-workers/key-workers.module';
import { PersonsModule } from './persons/persons.module';
import { OutcomesModule } from './outcomes/outcomes.module';
import { ReferralsModule } from './referrals/referrals.module';
import { ReportsModule } from './reports/reports.module';
import { SeedModule } from './seed/seed.module';
import { SubjectExportModule } from './subject-export/subject-export.module';
import { UsersModule } from './users/users.module';
import { DevicesModule } from './devices/devices.module';
import { MetricsApiModule } from './metrics/metrics.module';

export interface AppModuleOptions {
  readonly config: HarbourConfig;
  /** Connection string of the non-owner application role. */
  readonly databaseUrl: string;
  /** The keyring database as the application role (default: beside `databaseUrl`). */
  readonly keyringUrl?: string;
  readonly logger: Logger;
  /** Whether periodic tasks run in this process (default true; the operator CLI says false). */
  readonly jobs?: boolean;
  /** Whether this process works background jobs (default: as `jobs`). */
  readonly workJobs?: boolean;
}

@Module({})
export class AppModule {
  static forRoot({
    config,
    databaseUrl,
    keyringUrl,
    logger,
    jobs = true,
    workJobs = jobs,
  }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        MetricsModule,
        TimeModule,
        CryptoModule.forRoot(config),
        DatabaseModule.forRoot({ url: databaseUrl, entities: [...ENTITIES] }),
        ReplicaModule.forRoot(
          config.replica.url === null
            ? null
            : {
                url: config.replica.url,
                entities: [...ENTITIES],
                maxLagSeconds: config.replica.maxLagSeconds,
              },
        ),
        KeyringDatabaseModule.forRoot({
          logger,
          url:
            keyringUrl ??
            keyringUrlFor(
              databaseUrl,
              config.database.mode === 'external'
                ? (config.database.keyringUrl ?? undefined)
                : undefined,
            ),
        }),
        JobsModule.forRoot({ enabled: jobs, work: workJobs, databaseUrl, settings: config.jobs }),
        HealthModule,
        MetricsApiModule,
        AuditModule,
        SessionsModule,
        AuthModule,
        DevicesModule,
        UsersModule,
        OrganisationModule,
        IdempotencyModule,
        PersonsModule,
        KeyWorkersModule,
        ConsentsModule,
        OutcomesModule,
        ApiDocsModule,
        ContactsModule,
        ReferralsModule,
        FollowUpsModule,
        DisclosuresModule,
        ReportsModule,
        IntakeModule,
        CanariesModule,
        KeysModule,
        JobsApiModule,
        BackupsModule,
        SubjectExportModule,
        RetentionModule,
        SeedModule,
      ],
      providers: [
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_INTERCEPTOR, useClass: TransactionInterceptor },
        { provide: APP_FILTER, useValue: new AllExceptionsFilter(logger) },
      ],
    };
  }
}
