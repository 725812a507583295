import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { createDataSource, type DataSourceOptions } from './data-source';
import { Db, type Tx } from './transaction';

/** How the API reaches its read replica (`DATABASE_REPLICA_URL`), or null without one. */
export interface ReplicaOptions {
  readonly url: string;
  readonly entities: DataSourceOptions['entities'];
  /** Replay lag (seconds) beyond which reads go to the primary instead. */
  readonly maxLagSeconds: number;
  readonly poolSize?: number;
}

export const REPLICA_OPTIONS = Symbol('REPLICA_OPTIONS');

/** What the replica said about itself the last time it was asked. */
export interface ReplicaState {
  /** `pg_is_in_recovery()`: true on a standby. */
  readonly standby: boolean;
  /** Seconds the standby's replay is behind what it has received (0 when caught up). */
  readonly lagSeconds: number;
}

/** Where read-only work ran, counted since start (for the metrics and the tests). */
export interface ReplicaCounts {
  /** Reads served by the replica. */
  readonly replica: number;
  /** Reads that fell back to the primary: no replica configured, unreachable, or lagging. */
  readonly primary: number;
}

/** After a failure, the replica is not tried again for this long (no timeout on every request). */
const RETRY_AFTER_MS = 5_000;

const STATE_SQL = `SELECT pg_is_in_recovery() AS standby,
  CASE WHEN NOT pg_is_in_recovery()
         OR pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
       ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
  END::float8 AS lag`;

/** The replica was reachable but behind by more than the bound. */
class ReplicaLagging extends Error {}

/**
 * Read-only heavy work on a streaming replica (docs/operations.md "Read replica"). `read`
 * runs a callback in a transaction on the replica's own pool, with the tenant set exactly as
 * `Db.transaction` sets it on the primary (`app.org_id`, transaction-local; row-level security
 * is the same on a physical standby, whose catalogue is the primary's). The callback must only
 * read: a standby refuses writes, and nothing it reads may be needed by a write of the same
 * request. Without a replica, when it cannot be reached, or when its replay is behind by more
 * than `maxLagSeconds`, the callback runs on the request's own transaction on the primary.
 */
@Injectable()
export class ReplicaReads implements OnModuleDestroy {
  private readonly logger = new Logger('Replica');
  private source: DataSource | null = null;
  private db: Db | null = null;
  private opening: Promise<Db | null> | null = null;
  private retryAt = 0;
  private served = { replica: 0, primary: 0 };

  constructor(@Inject(REPLICA_OPTIONS) private readonly options: ReplicaOptions | null) {}

  get configured(): boolean {
    return this.options !== null;
  }

  counts(): ReplicaCounts {
    return { ...this.served };
  }

  /** Runs read-only `fn` on the replica in `organisationId`'s tenant, or on `primary`. */
  async read<T>(
    primary: { readonly tx: Tx; readonly organisationId: string },
    fn: (tx: Tx) => Promise<T>,
  ): Promise<T> {
    const db = await this.connection();
    if (db !== null && this.options !== null) {
      const maxLag = this.options.maxLagSeconds;
      try {
        const result = await db.transaction(primary.organisationId, async (tx) => {
          const [state] = await tx.prepared<{ standby: boolean; lag: number }>(
            'harbour_replica_state',
            STATE_SQL,
            [],
          );
          if (state !== undefined && state.lag > maxLag) throw new ReplicaLagging();
          return fn(tx);
        });
        this.served.replica++;
        return result;
      } catch (error) {
        if (error instanceof ReplicaLagging) {
          this.logger.warn({ maxLagSeconds: maxLag }, 'replica lagging: reading the primary');
        } else if (replicaUnavailable(error)) {
          this.markDown(error);
        } else {
          throw error;
        }
      }
    }
    this.served.primary++;
    return fn(primary.tx);
  }

  /** The replica's state for the readiness check, or null when it cannot be asked. */
  async state(): Promise<ReplicaState | null> {
    const db = await this.connection();
    if (db === null) return null;
    try {
      const [row] = await db.statement<{ standby: boolean; lag: number }>(
        'harbour_replica_state',
        STATE_SQL,
        [],
      );
      return row === undefined ? null : { standby: row.standby, lagSeconds: row.lag };
    } catch (error) {
      if (!replicaUnavailable(error)) throw error;
      this.markDown(error);
      return null;
    }
  }

  get maxLagSeconds(): number | null {
    return this.options?.maxLagSeconds ?? null;
  }

  async onModuleDestroy(): Promise<void> {
    const source = this.source;
    this.source = null;
    this.db = null;
    if (source?.isInitialized === true) await source.destroy();
  }

  /** The replica's pool, opened on first use (a replica down at start-up must not stop the API). */
  private async connection(): Promise<Db | null> {
    if (this.options === null || Date.now() < this.retryAt) return null;
    if (this.db !== null) return this.db;
    this.opening ??= this.open(this.options).finally(() => {
      this.opening = null;
    });
    return this.opening;
  }

  private async open(options: ReplicaOptions): Promise<Db | null> {
    const source = createDataSource({
      url: options.url,
      entities: options.entities,
      poolSize: options.poolSize ?? 5,
      applicationName: 'harbour-api-replica',
    });
    try {
      await source.initialize();
    } catch (error) {
      this.markDown(error);
      await source.destroy().catch(() => undefined);
      return null;
    }
    this.source = source;
    this.db = new Db(source);
    return this.db;
  }

  private markDown(error: unknown): void {
    this.retryAt = Date.now() + RETRY_AFTER_MS;
    const code = (error as { code?: unknown } | null)?.code;
    this.logger.warn(
      { code: typeof code === 'string' ? code : null },
      'replica unavailable: reading the primary',
    );
  }
}

/**
 * Errors that say the replica cannot serve now (not that the query is wrong): no connection,
 * a connection lost or refused, the server shutting down or still starting, a statement
 * cancelled by recovery, resources exhausted.
 */
export function replicaUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (/^(08|53|57P|58)/.test(code) || code === '40001') return true;
    if (/^(ECONN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EPIPE|ENOTFOUND|EAI_AGAIN)/.test(code))
      return true;
  }
  const message = (error as { message?: unknown }).message;
  return (
    typeof message === 'string' &&
    /Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED/i.test(
      message,
    )
  );
}
