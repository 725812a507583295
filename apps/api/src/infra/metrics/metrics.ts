import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Registry,
  type CounterConfiguration,
} from 'prom-client';
import { LeanHistogram, type HistogramSeries } from './lean-histogram';

/** Every metric Harbour exports itself (the process metrics carry the same prefix). */
export const METRIC_PREFIX = 'harbour_';

export const METRIC = {
  requestDuration: 'harbour_http_request_duration_seconds',
  errors: 'harbour_http_errors_total',
  dbPool: 'harbour_db_pool_connections',
  jobQueue: 'harbour_job_queue_depth',
  accessLogAppend: 'harbour_access_log_append_duration_seconds',
  decrypts: 'harbour_decrypt_total',
  lockdown: 'harbour_organisations_in_lockdown',
  scrapeErrors: 'harbour_metrics_source_errors_total',
} as const;

/** The request methods that become labels; anything else is `other` (a bounded label set). */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** What the pools report (`pg.Pool` has these counters). */
export interface PoolLike {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
}

export interface QueueDepth {
  readonly queue: string;
  readonly state: string;
  readonly count: number;
}

/** Reads the scrape-time figures that live in the database (set by the metrics feature). */
export interface DatabaseSources {
  queueDepth(): Promise<readonly QueueDepth[]>;
  organisationsInLockdown(): Promise<number>;
}

export type DecryptKind = 'field' | 'text' | 'reencrypt';

/** A source slower than this is left out of the scrape (its series are absent, an error counted). */
const SOURCE_TIMEOUT_MS = 2_000;

/**
 * The process's Prometheus metrics, in a registry of its own (several apps in one test process
 * stay apart). Labels are bounded and carry no tenant data: a route template (never a path as
 * sent), a method, a status, a stable error code, a pool, a queue name, a kind; never an
 * organisation, a person, a user or anything typed.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly requestDuration: LeanHistogram<'method' | 'route' | 'status'>;
  private readonly errors: Counter<'code'>;
  private readonly appendDuration: LeanHistogram<'mode'>;
  private readonly decrypts: Counter<'kind'>;
  private readonly sourceErrors: Counter<'source'>;
  private readonly pools = new Map<string, PoolLike>();
  private database: DatabaseSources | null = null;
  /** Request series by `method status route`: one map lookup per request. */
  private readonly children = new Map<string, HistogramSeries>();
  private readonly appendSeries: Record<'in_transaction' | 'separate', HistogramSeries>;
  private readonly decryptChildren: Record<DecryptKind, { inc(value?: number): void }>;

  constructor(options: { readonly processMetrics?: boolean } = {}) {
    if (options.processMetrics ?? true) {
      collectDefaultMetrics({ register: this.registry, prefix: METRIC_PREFIX });
    }
    const counter = <L extends string>(config: CounterConfiguration<L>): Counter<L> =>
      new Counter({ ...config, registers: [this.registry] });
    this.requestDuration = new LeanHistogram(
      METRIC.requestDuration,
      'HTTP requests by route template, method and status: latency (and, as _count, rate).',
      ['method', 'route', 'status'],
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      this.registry,
    );
    this.errors = counter({
      name: METRIC.errors,
      help: 'Error responses by stable error code.',
      labelNames: ['code'],
    });
    this.appendDuration = new LeanHistogram(
      METRIC.accessLogAppend,
      'Access-log appends: time from the call to the event written (lock wait included), by mode.',
      ['mode'],
      [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      this.registry,
    );
    this.appendSeries = {
      in_transaction: this.appendDuration.labels({ mode: 'in_transaction' }),
      separate: this.appendDuration.labels({ mode: 'separate' }),
    };
    this.decrypts = counter({
      name: METRIC.decrypts,
      help: 'Field values decrypted, by kind (field bytes, text, re-encryption during a rotation).',
      labelNames: ['kind'],
    });
    this.decryptChildren = {
      field: this.decrypts.labels('field'),
      text: this.decrypts.labels('text'),
      reencrypt: this.decrypts.labels('reencrypt'),
    };
    // Every kind from zero, so the first decryption is a visible increase, not a new series.
    for (const child of Object.values(this.decryptChildren)) child.inc(0);
    this.sourceErrors = counter({
      name: METRIC.scrapeErrors,
      help: 'Scrapes where a database-backed figure could not be read (its series are left out).',
      labelNames: ['source'],
    });
    this.registerGauges();
  }

  /** One finished HTTP request (`route` is a template or a fixed placeholder). */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const m = METHODS.has(method) ? method : 'other';
    const key = `${m} ${status} ${route}`;
    let child = this.children.get(key);
    if (child === undefined) {
      child = this.requestDuration.labels({ method: m, route, status: String(status) });
      this.children.set(key, child);
    }
    child.observe(seconds);
  }

  /** One error response, by its stable code (`ERROR_CODES`). */
  countError(code: string): void {
    this.errors.labels(code).inc();
  }

  countDecrypt(kind: DecryptKind): void {
    this.decryptChildren[kind].inc();
  }

  /** Starts timing an access-log append; call the result when it is written (or failed). */
  startAppend(mode: 'in_transaction' | 'separate'): () => void {
    const series = this.appendSeries[mode];
    const started = process.hrtime.bigint();
    return () => series.observe(Number(process.hrtime.bigint() - started) / 1e9);
  }

  watchPool(name: string, pool: PoolLike): void {
    this.pools.set(name, pool);
  }

  useDatabase(sources: DatabaseSources): void {
    this.database = sources;
  }

  /** The exposition text (Prometheus text format 0.0.4) and its content type. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private registerGauges(): void {
    const pools = this.pools;
    new Gauge({
      name: METRIC.dbPool,
      help: 'Database connections per pool: total open, idle, and requests waiting for one.',
      labelNames: ['pool', 'state'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [name, pool] of pools) {
          this.set({ pool: name, state: 'total' }, pool.totalCount);
          this.set({ pool: name, state: 'idle' }, pool.idleCount);
          this.set({ pool: name, state: 'waiting' }, pool.waitingCount);
        }
      },
    });
    const read = <T>(source: string, fn: (db: DatabaseSources) => Promise<T>) =>
      this.readSource(source, fn);
    new Gauge({
      name: METRIC.jobQueue,
      help: 'Background jobs waiting (created, retry) or running (active), by queue.',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const row of (await read('job_queue', (db) => db.queueDepth())) ?? []) {
          this.set({ queue: row.queue, state: row.state }, row.count);
        }
      },
    });
    new Gauge({
      name: METRIC.lockdown,
      help: 'Organisations in lockdown now (a count: no organisation is named).',
      registers: [this.registry],
      async collect() {
        this.reset();
        const count = await read('lockdown', (db) => db.organisationsInLockdown());
        if (count !== undefined) this.set(count);
      },
    });
  }

  private async readSource<T>(
    source: string,
    fn: (db: DatabaseSources) => Promise<T>,
  ): Promise<T | undefined> {
    const database = this.database;
    if (database === null) return undefined;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), SOURCE_TIMEOUT_MS);
    });
    try {
      const value = await Promise.race([fn(database).catch(() => undefined), timeout]);
      if (value === undefined) this.sourceErrors.labels(source).inc();
      return value;
    } finally {
      clearTimeout(timer);
    }
  }
}
