import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import type { Logger } from 'pino';
import { AccessGuard } from '../infra/auth/access';
import type { HarbourConfig } from '../infra/config/config';
import { ConfigModule } from '../infra/config/config.module';
import { DatabaseModule } from '../infra/database/database.module';
import { AllExceptionsFilter } from '../infra/http/all-exceptions.filter';
import { ENTITIES } from './entities';
import { HealthModule } from './health/health.module';

export interface AppModuleOptions {
  readonly config: HarbourConfig;
  /** Connection string of the non-owner application role. */
  readonly databaseUrl: string;
  readonly logger: Logger;
}

@Module({})
export class AppModule {
  static forRoot({ config, databaseUrl, logger }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot({ url: databaseUrl, entities: [...ENTITIES] }),
        HealthModule,
      ],
      providers: [
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_FILTER, useValue: new AllExceptionsFilter(logger) },
      ],
    };
  }
}
