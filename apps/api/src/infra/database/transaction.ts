import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { isUuid } from '@harbour/domain';
import { DataSource, type EntityManager } from 'typeorm';

/** A database transaction bound to at most one organisation (the tenant of row-level security). */
export interface Tx {
  readonly manager: EntityManager;
  /** The organisation set for this transaction, or null (then tenant tables show no rows). */
  readonly organisationId: string | null;
  /**
   * Sets the tenant for the rest of this transaction. Only sign-in uses it, once the password
   * has identified the organisation; every other request gets its tenant from the session.
   */
  setTenant(organisationId: string): Promise<void>;
  /**
   * Sets the tenant to the organisation id that `expression` (a fixed SQL expression of the
   * caller, e.g. a SECURITY DEFINER lookup, never built from input) yields, in the same
   * statement; returns it, or null when it yields none (then the tenant stays unset).
   */
  setTenantFrom(
    name: string,
    expression: string,
    params: readonly unknown[],
  ): Promise<string | null>;
  /** Runs `callback` once this transaction has committed (never if it rolls back). */
  afterCommit(callback: () => Promise<void> | void): void;
  /**
   * Runs a hot statement as a named prepared statement of this connection: parsed and planned
   * once per pooled connection, then only bound and executed. `name` identifies `sql` (one name,
   * one text). Returns the rows (use RETURNING when the count matters).
   */
  prepared<R extends object>(name: string, sql: string, params: readonly unknown[]): Promise<R[]>;
}

/** The part of node-postgres's client that `prepared` uses. */
interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

const current = new AsyncLocalStorage<Tx>();

/**
 * Every request's database work runs in one transaction that sets the tenant with
 * `set_config('app.org_id', $1, true)`. The setting is transaction-local, so a pooled connection
 * never carries one request's organisation into the next.
 */
@Injectable()
export class Db {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(organisationId: string | null, fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.run({ id: organisationId }, fn);
  }

  /**
   * A transaction whose first statement sets the tenant from `expression` (as
   * `Tx.setTenantFrom`, which always writes the setting, so no separate reset is needed);
   * `fn` gets the tenant found, or null.
   */
  transactionWithTenantFrom<T>(
    name: string,
    expression: string,
    params: readonly unknown[],
    fn: (tx: Tx, organisationId: string | null) => Promise<T>,
  ): Promise<T> {
    let found: string | null = null;
    return this.run({ from: { name, expression, params, found: (id) => (found = id) } }, (tx) =>
      fn(tx, found),
    );
  }

  private async run<T>(
    initial:
      | { id: string | null }
      | {
          from: {
            name: string;
            expression: string;
            params: readonly unknown[];
            found: (id: string | null) => void;
          };
        },
    fn: (tx: Tx) => Promise<T>,
  ): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    // PostgresQueryRunner.connect() resolves to the pooled node-postgres client.
    const client = (await runner.connect()) as PgClient;
    try {
      // READ COMMITTED is the connection default (data-source.ts): one statement, not two.
      await runner.startTransaction();
      let tenant: string | null = null;
      const setTenant = async (id: string | null): Promise<void> => {
        if (id !== null && !isUuid(id)) throw new Error('invalid tenant id');
        await client.query({
          name: 'harbour_set_tenant',
          text: `SELECT set_config('app.org_id', $1, true)`,
          values: [id ?? ''],
        });
        tenant = id;
      };
      const setTenantFrom = async (
        name: string,
        expression: string,
        params: readonly unknown[],
      ): Promise<string | null> => {
        const { rows } = await client.query({
          name,
          text: `SELECT set_config('app.org_id', COALESCE((${expression})::text, ''), true) AS id`,
          values: [...params],
        });
        const id = (rows[0] as { id?: unknown } | undefined)?.id;
        if (id === '' || id === undefined) {
          tenant = null;
          return null;
        }
        if (!isUuid(id)) throw new Error('invalid tenant id');
        tenant = id;
        return id;
      };
      if ('id' in initial) await setTenant(initial.id);
      else {
        const { name, expression, params, found } = initial.from;
        found(await setTenantFrom(name, expression, params));
      }
      const afterCommit: (() => Promise<void> | void)[] = [];
      const tx: Tx = {
        manager: runner.manager,
        get organisationId() {
          return tenant;
        },
        setTenant: (id: string) => setTenant(id),
        setTenantFrom,
        afterCommit: (callback) => {
          afterCommit.push(callback);
        },
        prepared: async <R extends object>(name: string, sql: string, params: readonly unknown[]) =>
          (await client.query({ name, text: sql, values: [...params] })).rows as R[],
      };
      const result = await current.run(tx, () => fn(tx));
      await runner.commitTransaction();
      for (const callback of afterCommit) {
        // Follow-up work (e.g. exporting checkpoints to a witness) must not fail the request.
        await Promise.resolve()
          .then(callback)
          .catch(() => undefined);
      }
      return result;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  /** The current transaction, or null outside one. */
  currentOrNull(): Tx | null {
    return current.getStore() ?? null;
  }

  /** The transaction of the current request. */
  current(): Tx {
    const tx = current.getStore();
    if (tx === undefined) throw new Error('no database transaction in this context');
    return tx;
  }

  /**
   * Statements that must survive the request's rollback (sign-in throttling counts a failure
   * even though the request fails). They run on their own pooled connection, in autocommit.
   */
  async outsideTransaction<T extends object>(sql: string, params: unknown[]): Promise<T[]> {
    return await this.dataSource.query<T[]>(sql, params);
  }
}
