import { Injectable, SetMetadata } from '@nestjs/common';
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
  /** Runs `callback` once this transaction has committed (never if it rolls back). */
  afterCommit(callback: () => Promise<void> | void): void;
  /**
   * Runs a hot statement as a named prepared statement of this connection: parsed and planned
   * once per pooled connection, then only bound and executed. `name` identifies `sql` (one name,
   * one text). Returns the rows (use RETURNING when the count matters).
   */
  prepared<R extends object>(name: string, sql: string, params: readonly unknown[]): Promise<R[]>;
  /**
   * The rows of an opening read (`Db.addOpeningRead`), sent with `START TRANSACTION` when the
   * transaction was opened with `openingReads` for `organisationId`; handed out once, then
   * undefined (a later read of the same state goes to the database as usual).
   */
  takeOpened<R extends object>(read: OpeningRead, organisationId: string): R[] | undefined;
  /**
   * Ends the transaction with its last statement and its COMMIT in one message (no round trip
   * between them): `SAVEPOINT`, `sql`, `RELEASE SAVEPOINT`, `COMMIT`, in the simple protocol, so
   * the statement is `EXECUTE` of a statement prepared on the connection, its values inlined as
   * literals (`simple`; the `PREPARE` is sent on its own the first time on each connection).
   * Answers 'committed'; or 'missed' when it raised the SQLSTATE `missCode`: PostgreSQL then ran nothing after it,
   * and the transaction is rolled back to the savepoint (what it wrote or locked is undone)
   * and stays open for the caller to go on. Any other failure rejects with `FinalMessageError`:
   * the transaction did not commit (or, when the connection was lost, its outcome is unknown).
   * After 'committed' or a rejection nothing more may run in the transaction.
   */
  commitWithLast(last: LastStatement, missCode: string): Promise<'committed' | 'missed'>;
  /** The rows of the opening session check (`TransactionOptions.session`), else empty. */
  readonly session: readonly object[];
}

/**
 * A statement for the simple protocol (`simple` in data/sql.ts): prepared by SQL `PREPARE` once
 * per connection, then sent as `EXECUTE` with its values inlined as literals.
 */
export interface SimpleExecute {
  readonly name: string;
  readonly prepare: string;
  readonly execute: string;
}

/** The last statement of a transaction (`Tx.commitWithLast`). */
export type LastStatement = SimpleExecute;

const SET_TENANT = {
  name: 'hx_set_tenant',
  prepare: `PREPARE hx_set_tenant (text) AS SELECT set_config('app.org_id', $1, true)`,
};

/** Per pooled connection, the statements it has prepared by SQL `PREPARE`. */
const sqlPrepared = new WeakMap<object, Set<string>>();

/**
 * The message that would have ended a transaction (`Tx.commitWithLast`) failed: its last
 * statement or its COMMIT; the transaction is rolled back. `cause` is the database's error.
 */
export class FinalMessageError extends Error {
  constructor(cause: unknown) {
    super('the final statement and commit of a transaction failed', { cause });
    this.name = 'FinalMessageError';
  }
}

/**
 * A read that a request transaction makes first, sent in the same message as `START
 * TRANSACTION` (no round trip of its own). It is a statement prepared by SQL `PREPARE` once per
 * connection (`prepare`, sent on its own the first time), so it is planned once there rather than
 * on every request; `executeFor` is its `EXECUTE` with the organisation id, its only parameter,
 * inlined as a literal once the id has been checked to be a UUID.
 */
export interface OpeningRead {
  readonly name: string;
  readonly prepare: string;
  executeFor(organisationId: string): string;
  /**
   * Its `EXECUTE` for the tenant a session check earlier in the same message set
   * (`app.org_id`; NULL when it found no session, and then the read finds nothing).
   */
  readonly executeForSessionTenant: string;
}

export const OPENING_READS = 'harbour:opening-reads';

/**
 * For hot routes that seal or look up under the organisation's keys (a contact logged, a person
 * looked up): their transaction reads the keyring's state (lockdown, current keys, the data-key
 * lock shared) in the message that opens it, saving a round trip (`Db.addOpeningRead`), and
 * the caller's session is checked in that message too (docs/adr/0021). Only for short requests
 * that will need it: the shared lock, and the session row the check touches, are then held for
 * the whole transaction.
 */
export const ReadsKeysFirst = (): MethodDecorator => SetMetadata(OPENING_READS, true);

/** Options of `Db.transaction`. */
export interface TransactionOptions {
  /**
   * Send the registered opening reads with `START TRANSACTION` (only with an organisation).
   * For short request transactions that will need what they read: an opening read may take
   * locks (the data-key lock, shared) that then last the whole transaction.
   */
  readonly openingReads?: boolean;
  /**
   * A session check sent first in the opening message, in place of the tenant statement: it
   * sets the tenant (`app.org_id`, transaction-locally) from the session it finds, and its
   * first row's `organisation_id` becomes the transaction's organisation (null when it found
   * none). Its rows go to the callback as `Tx.session`. The `organisationId` argument must be
   * null. The check and whatever it writes are part of the transaction: they roll back with it.
   */
  readonly session?: SimpleExecute;
}

/** The parts of node-postgres's client that `Db` uses. */
interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
  /** Without values: the simple query protocol, which may carry several statements. */
  query(text: string): Promise<unknown>;
}

/**
 * TypeORM's view of the transaction state of a query runner (`BaseQueryRunner`): `Db` opens the
 * transaction itself, so it records it the way `startTransaction` would — active, depth 1 — and
 * TypeORM's own writes (`save` wraps itself in a transaction when none is active) and any
 * nested transaction (a savepoint at depth ≥ 1) stay inside it; `commitTransaction` and
 * `rollbackTransaction` then end it as usual.
 */
interface RunnerTransactionState {
  isTransactionActive: boolean;
  transactionDepth: number;
}

/**
 * Prepares `statement` by SQL `PREPARE` on `client` unless this process has already done so on
 * that connection (prepared statements outlive transactions, rolled back or not). Sent on its
 * own, outside any transaction.
 */
async function prepareOnce(
  client: PgClient,
  statement: { readonly name: string; readonly prepare: string },
): Promise<void> {
  let prepared = sqlPrepared.get(client);
  if (prepared === undefined) sqlPrepared.set(client, (prepared = new Set()));
  if (prepared.has(statement.name)) return;
  await client.query(statement.prepare).catch((error: unknown) => {
    // 42P05: already prepared on this connection (by a process that lost count).
    if ((error as { code?: unknown }).code !== '42P05') throw error;
  });
  prepared.add(statement.name);
}

/**
 * Sends `last` and `COMMIT` in one simple-protocol message (`Tx.commitWithLast`), `last` behind
 * a savepoint: `missed` when it failed with SQLSTATE `missCode` (rolled back to the savepoint,
 * the transaction still open), `committed` when PostgreSQL answered `COMMIT`. Anything else
 * rejects with `FinalMessageError`. `last` is prepared by SQL `PREPARE` once per connection.
 */
async function sendWithCommit(
  client: PgClient,
  last: LastStatement,
  missCode: string,
): Promise<'committed' | 'missed'> {
  await prepareOnce(client, last).catch((error: unknown) => {
    throw new FinalMessageError(error);
  });
  let results: { command?: string }[];
  try {
    results = (await client.query(
      `SAVEPOINT harbour_last; ${last.execute}; RELEASE SAVEPOINT harbour_last; COMMIT`,
    )) as { command?: string }[];
  } catch (error) {
    if ((error as { code?: unknown }).code === missCode) {
      await client.query('ROLLBACK TO SAVEPOINT harbour_last');
      return 'missed';
    }
    throw new FinalMessageError(error);
  }
  // COMMIT of a transaction that had failed answers ROLLBACK, without an error.
  if (!Array.isArray(results) || results.at(-1)?.command !== 'COMMIT') {
    throw new FinalMessageError(new Error('the transaction rolled back instead of committing'));
  }
  return 'committed';
}

/**
 * The tenant a session check set (`TransactionOptions.session`): the organisation of the session
 * it found, which must be the setting it left; null when it found none (the caller then admits
 * no one and rolls back: a session revoked between the check's two reads can leave its
 * organisation set with no row).
 */
function tenantOfSession(rows: readonly object[], setting: readonly object[]): string | null {
  const tenant = (setting[0] as { tenant?: unknown } | undefined)?.tenant;
  const found = (rows[0] as { organisation_id?: unknown } | undefined)?.organisation_id;
  if (found === undefined) return null;
  if (typeof found !== 'string' || !isUuid(found) || found !== tenant) {
    throw new Error('a session check set another tenant than its session');
  }
  return found;
}

/**
 * Every request's database work runs in one transaction that sets the tenant with
 * `set_config('app.org_id', $1, true)`. The setting is transaction-local, so a pooled connection
 * never carries one request's organisation into the next.
 */
@Injectable()
export class Db {
  readonly #openingReads: OpeningRead[] = [];

  constructor(private readonly dataSource: DataSource) {}

  /** Registers a read that transactions opened with `openingReads` make in their first message. */
  addOpeningRead(read: OpeningRead): void {
    if (!this.#openingReads.some((r) => r.name === read.name)) this.#openingReads.push(read);
  }

  transaction<T>(
    organisationId: string | null,
    fn: (tx: Tx) => Promise<T>,
    options: TransactionOptions = {},
  ): Promise<T> {
    return this.run(organisationId, fn, options);
  }

  private async run<T>(
    requested: string | null,
    fn: (tx: Tx) => Promise<T>,
    options: TransactionOptions,
  ): Promise<T> {
    let organisationId = requested;
    if (organisationId !== null && !isUuid(organisationId)) throw new Error('invalid tenant id');
    const session = options.session;
    if (session !== undefined && organisationId !== null) {
      throw new Error('a session check finds the tenant itself');
    }
    const reads =
      options.openingReads === true && (organisationId !== null || session !== undefined)
        ? this.#openingReads
        : [];
    const runner = this.dataSource.createQueryRunner();
    // PostgresQueryRunner.connect() resolves to the pooled node-postgres client.
    const client = (await runner.connect()) as PgClient;
    try {
      for (const read of reads) await prepareOnce(client, read);
      if (session === undefined) await prepareOnce(client, SET_TENANT);
      else await prepareOnce(client, session);
      // The transaction, its tenant and any opening reads in one round trip: statements in one
      // simple-protocol message. The id is inlined, which is safe only because it has just been
      // checked to be a UUID (hex digits and hyphens); READ COMMITTED is the connection default
      // (data-source.ts), so no isolation statement is needed. With a session check, the check
      // sets the tenant and the reads take it from the setting; the setting is read back too.
      const state = runner as unknown as RunnerTransactionState;
      state.isTransactionActive = true;
      state.transactionDepth = 1;
      const opening =
        session === undefined
          ? [
              'START TRANSACTION',
              `EXECUTE ${SET_TENANT.name}('${organisationId ?? ''}')`,
              ...reads.map((read) => read.executeFor(organisationId!)),
            ]
          : [
              'START TRANSACTION',
              session.execute,
              `SELECT current_setting('app.org_id', true) AS tenant`,
              ...reads.map((read) => read.executeForSessionTenant),
            ];
      const results = (await client.query(opening.join('; '))) as { rows: object[] }[];
      let sessionRows: readonly object[] = [];
      if (session !== undefined) {
        sessionRows = results[1]!.rows;
        organisationId = tenantOfSession(sessionRows, results[2]!.rows);
      }
      const opened = new Map<string, object[]>(
        reads.map((read, i) => [read.name, results[i + (session === undefined ? 2 : 3)]!.rows]),
      );
      let tenant = organisationId;
      const setTenant = async (id: string): Promise<void> => {
        if (!isUuid(id)) throw new Error('invalid tenant id');
        await client.query({
          name: 'harbour_set_tenant',
          text: `SELECT set_config('app.org_id', $1, true)`,
          values: [id],
        });
        tenant = id;
      };
      const afterCommit: (() => Promise<void> | void)[] = [];
      let ended = false;
      const commitWithLast = async (
        last: LastStatement,
        missCode: string,
      ): Promise<'committed' | 'missed'> => {
        if (ended) throw new Error('the transaction has ended');
        if ((await sendWithCommit(client, last, missCode)) === 'missed') return 'missed';
        ended = true;
        state.isTransactionActive = false;
        state.transactionDepth = 0;
        return 'committed';
      };
      const tx: Tx = {
        manager: runner.manager,
        get organisationId() {
          return tenant;
        },
        setTenant,
        afterCommit: (callback) => {
          afterCommit.push(callback);
        },
        prepared: async <R extends object>(
          name: string,
          sql: string,
          params: readonly unknown[],
        ) => {
          if (ended) throw new Error('the transaction has ended');
          return (await client.query({ name, text: sql, values: [...params] })).rows as R[];
        },
        takeOpened: <R extends object>(read: OpeningRead, id: string): R[] | undefined => {
          // Read for the tenant the transaction opened with; sign-in may set another since.
          if (id !== organisationId || tenant !== organisationId) return undefined;
          const rows = opened.get(read.name);
          opened.delete(read.name);
          return rows as R[] | undefined;
        },
        commitWithLast,
        session: sessionRows,
      };
      const result = await fn(tx);
      if (!ended) await runner.commitTransaction();
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

  /**
   * One prepared statement on its own pooled connection, outside any explicit transaction: the
   * statement is its own transaction, so a tenant it sets (`set_config(…, true)`, e.g. inside a
   * function) ends with it. For hot single-statement work such as the session check.
   */
  async statement<R extends object>(
    name: string,
    sql: string,
    params: readonly unknown[],
  ): Promise<R[]> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const client = (await runner.connect()) as PgClient;
      return (await client.query({ name, text: sql, values: [...params] })).rows as R[];
    } finally {
      await runner.release();
    }
  }
}
