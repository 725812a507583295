import { Global, Inject, Module, type DynamicModule, type OnModuleDestroy } from '@nestjs/common';
import { Pool } from 'pg';
import type { Logger } from 'pino';
import { describeError } from '../logging/logger';

/** The connection pool of the keyring database (wrapped key material, apart from the data). */
export const KEYRING_POOL = Symbol('KEYRING_POOL');

class KeyringPoolCloser implements OnModuleDestroy {
  constructor(@Inject(KEYRING_POOL) private readonly pool: Pool) {}

  async onModuleDestroy(): Promise<void> {
    await this.pool.end();
  }
}

/**
 * The keyring database as the non-owner application role (docs/design.md §5 "Where keys live"):
 * the data database's server and role by default (`<database>_keyring`), or a server of its
 * own (`HARBOUR_KEYRING_DATABASE_URL`). Statements on it live in `data/keys/key-material.store.ts`.
 */
@Global()
@Module({})
export class KeyringDatabaseModule {
  static forRoot(options: { url: string; poolSize?: number; logger?: Logger }): DynamicModule {
    return {
      module: KeyringDatabaseModule,
      providers: [
        {
          provide: KEYRING_POOL,
          useFactory: () => {
            const pool = new Pool({
              connectionString: options.url,
              max: options.poolSize ?? 10,
              connectionTimeoutMillis: 5_000,
              idleTimeoutMillis: 30_000,
              statement_timeout: 30_000,
              application_name: 'harbour-api-keyring',
            });
            // An idle connection the server dropped (a restart, pg_terminate_backend) is an
            // 'error' event on the pool, which removes that client itself; without a listener
            // Node would treat the event as an uncaught exception and stop the whole API.
            pool.on('error', (error) =>
              options.logger?.warn({ err: describeError(error) }, 'keyring pool connection lost'),
            );
            return pool;
          },
        },
        KeyringPoolCloser,
      ],
      exports: [KEYRING_POOL],
    };
  }
}
