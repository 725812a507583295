import { Global, Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { TypeOrmModuleOptions as TypeOrmOptions } from '@nestjs/typeorm';
import { createDataSource, type DataSourceOptions } from './data-source';
import { Db } from './transaction';

/**
 * The API's connection pool, as the non-owner application role. Entities are passed in by the
 * app module (infra never imports features).
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(options: DataSourceOptions): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          // Fail fast at boot: `npm start` has just checked the server; a deployment restarts us.
          useFactory: () => ({
            ...(createDataSource(options).options as TypeOrmOptions),
            retryAttempts: 2,
            retryDelay: 1000,
          }),
          dataSourceFactory: async (typeOrmOptions) => {
            if (typeOrmOptions === undefined) throw new Error('missing data source options');
            return createDataSource(options).initialize();
          },
        }),
      ],
      providers: [Db],
      exports: [Db],
    };
  }
}
