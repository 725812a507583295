import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { MasterKeySource } from '@harbour/crypto';
import { SESSION_IDLE_MS } from '@harbour/domain';

/**
 * Harbour's runtime configuration: read from the environment once, validated, frozen.
 * Only this module reads `process.env` (docs/style.md §11); everything else receives a `HarbourConfig`.
 * Every variable is documented in `.env.example`.
 */
export type NodeEnv = 'development' | 'test' | 'production';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface EmbeddedDatabaseConfig {
  readonly mode: 'embedded';
  /** TCP port on 127.0.0.1 for the embedded server. */
  readonly port: number;
}

export interface ExternalDatabaseConfig {
  readonly mode: 'external';
  /** Connection string of the non-owner application role the API connects as. */
  readonly url: string;
  /** Connection string of the owner role that runs migrations; absent when migrations run elsewhere. */
  readonly migrationUrl: string | null;
  /**
   * The keyring database as the application role (`HARBOUR_KEYRING_DATABASE_URL`), or null for
   * the data database's server and role with the database `<name>_keyring`.
   */
  readonly keyringUrl: string | null;
  /** The keyring database as the owner role (`HARBOUR_KEYRING_MIGRATION_URL`), or null: beside. */
  readonly keyringMigrationUrl: string | null;
}

export type DatabaseConfig = EmbeddedDatabaseConfig | ExternalDatabaseConfig;

/** Where the backup key (32 bytes, never the master key) comes from. */
export type BackupKeySource =
  | { readonly kind: 'file'; readonly path: string; readonly createIfMissing: boolean }
  | { readonly kind: 'env'; readonly base64: string };

export interface HarbourConfig {
  readonly env: NodeEnv;
  readonly http: {
    readonly host: string;
    readonly port: number;
    /** Trust `X-Forwarded-*` from this many proxy hops; 0 means never trust them. */
    readonly trustProxyHops: number;
    readonly maxBodyBytes: number;
  };
  /** Absolute path of the local state folder (embedded database, development key, logs). */
  readonly dataDir: string;
  readonly database: DatabaseConfig;
  /**
   * A read replica (`DATABASE_REPLICA_URL`, the application role on a streaming standby of the
   * primary): reports compute their figures there. Null: everything reads the primary.
   */
  readonly replica: {
    readonly url: string | null;
    /** Replay lag beyond which reads go to the primary instead (`HARBOUR_REPLICA_MAX_LAG_SECONDS`). */
    readonly maxLagSeconds: number;
  };
  readonly migrateOnStart: boolean;
  readonly seedDemo: boolean;
  readonly masterKey: MasterKeySource;
  /**
   * The master key being replaced, during a master-key rotation (unwraps KEKs it wrapped; wraps
   * nothing), or null.
   */
  readonly previousMasterKey: MasterKeySource | null;
  /** Absolute path of the built console (`index.html` and assets), or null to serve the API only. */
  readonly consoleDir: string | null;
  readonly logLevel: LogLevel;
  readonly audit: {
    /** Folder where signed checkpoints are exported (a witness outside the database), or null. */
    readonly witnessDir: string | null;
    /** URL that receives each signed checkpoint as JSON (POST), or null. */
    readonly witnessUrl: string | null;
    /** Working hours (UTC, [start, end) hours) for the off-hours anomaly flag. */
    readonly workingHours: readonly [number, number];
  };
  readonly jobs: {
    /** How often each instance asks the job runner for work. */
    readonly pollSeconds: number;
    /** How often the job runner looks for jobs whose process died (and retries them). */
    readonly maintenanceSeconds: number;
    /** How long one slice of a long job may run before the job runner deems its process dead. */
    readonly expireSeconds: number;
    /** How long a long job works before it hands over to its next slice. */
    readonly sliceSeconds: number;
  };
  readonly backup: {
    /**
     * The key backups are encrypted with, or null (production without one: only the backup
     * and restore commands need it, and they refuse to run).
     */
    readonly key: BackupKeySource | null;
    /** Folder backups are written to (default `<dataDir>/backups`). */
    readonly dir: string;
    /**
     * Folder the keyring's backups are written to (default `<backup dir>/keyring`): keep them on
     * storage of their own; those older than the backup window are deleted at each backup.
     */
    readonly keyringDir: string;
    /**
     * A superuser of the database server (external mode only), for the commands that create a
     * database to restore into (`backup --verify`, `restore --into-new`); null when not set.
     */
    readonly adminUrl: string | null;
  };
  readonly keys: {
    /**
     * How long a retired data key keeps its material: old data backups still hold values under
     * it, and the keyring's own backups are kept this long (default 35 days).
     */
    readonly backupWindowDays: number;
    /** Values a rotation re-encrypts per transaction (smaller: shorter row locks). */
    readonly rotationBatch: number;
  };
  readonly metrics: {
    /**
     * The bearer token `GET /metrics` asks for (`HARBOUR_METRICS_TOKEN` or
     * `HARBOUR_METRICS_TOKEN_FILE`), or null: then the route answers 404 to everyone.
     */
    readonly token: string | null;
  };
  readonly sessions: {
    /**
     * How long a signed-in session lasts without activity (default and maximum: 15 minutes).
     * Shorter only in development and tests (`HARBOUR_SESSION_IDLE_SECONDS`), to exercise
     * timeouts; production always uses the 15 minutes of docs/security.md.
     */
    readonly idleMs: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS: readonly LogLevel[] = [
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
];

/**
 * Parses and validates the environment. Collects every problem before failing, and never
 * echoes the value of a secret variable in an error.
 */
export interface LoadOptions {
  /**
   * Whether this process uses the master key. The server does; `harbour migrate` does not, so
   * a production migration job needs no key mounted.
   */
  readonly needsMasterKey?: boolean;
}

export function loadConfig(env: Env, cwd: string, options: LoadOptions = {}): HarbourConfig {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };

  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw)) {
      problems.push(`${name} must be a whole number`);
      return fallback;
    }
    const value = Number(raw);
    if (value < min || value > max) {
      problems.push(`${name} must be between ${min} and ${max}`);
      return fallback;
    }
    return value;
  };

  const bool = (name: string, fallback: boolean): boolean => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    problems.push(`${name} must be true or false`);
    return fallback;
  };

  const path = (raw: string): string => (isAbsolute(raw) ? raw : resolve(cwd, raw));

  const rawEnv = read('NODE_ENV') ?? 'development';
  let nodeEnv: NodeEnv = 'development';
  if (rawEnv === 'development' || rawEnv === 'test' || rawEnv === 'production') {
    nodeEnv = rawEnv;
  } else {
    problems.push('NODE_ENV must be development, test or production');
  }
  const production = nodeEnv === 'production';

  const dataDir = path(read('HARBOUR_DATA_DIR') ?? '.harbour');

  const databaseUrl = read('DATABASE_URL');
  const migrationUrl = read('DATABASE_MIGRATION_URL');
  let database: DatabaseConfig;
  if (databaseUrl === undefined) {
    if (production) {
      problems.push(
        'DATABASE_URL is required in production (the embedded database is for development)',
      );
    }
    if (migrationUrl !== undefined) {
      problems.push('DATABASE_MIGRATION_URL is set but DATABASE_URL is not; set both or neither');
    }
    database = { mode: 'embedded', port: int('HARBOUR_EMBEDDED_DB_PORT', 5439, 1024, 65535) };
  } else {
    for (const [name, url] of [
      ['DATABASE_URL', databaseUrl],
      ['DATABASE_MIGRATION_URL', migrationUrl],
      ['HARBOUR_KEYRING_DATABASE_URL', read('HARBOUR_KEYRING_DATABASE_URL')],
      ['HARBOUR_KEYRING_MIGRATION_URL', read('HARBOUR_KEYRING_MIGRATION_URL')],
    ] as const) {
      if (url !== undefined && !/^postgres(ql)?:\/\/[^\s]+$/.test(url)) {
        problems.push(`${name} must be a postgres:// connection string`);
      }
    }
    if (migrationUrl !== undefined && sameRole(databaseUrl, migrationUrl)) {
      problems.push(
        'DATABASE_URL and DATABASE_MIGRATION_URL must use different roles (the API role owns nothing)',
      );
    }
    database = {
      mode: 'external',
      url: databaseUrl,
      migrationUrl: migrationUrl ?? null,
      keyringUrl: read('HARBOUR_KEYRING_DATABASE_URL') ?? null,
      keyringMigrationUrl: read('HARBOUR_KEYRING_MIGRATION_URL') ?? null,
    };
  }

  const replicaUrl = read('DATABASE_REPLICA_URL') ?? null;
  if (replicaUrl !== null && !/^postgres(ql)?:\/\/[^\s]+$/.test(replicaUrl)) {
    problems.push('DATABASE_REPLICA_URL must be a postgres:// connection string');
  }
  const replica = {
    url: replicaUrl,
    maxLagSeconds: int('HARBOUR_REPLICA_MAX_LAG_SECONDS', 30, 1, 3600),
  };

  const migrateOnStart = bool('HARBOUR_MIGRATE_ON_START', !production);
  if (migrateOnStart && database.mode === 'external' && database.migrationUrl === null) {
    problems.push('HARBOUR_MIGRATE_ON_START needs DATABASE_MIGRATION_URL (the owner role)');
  }

  const seedDemo = bool('HARBOUR_SEED_DEMO', !production);
  if (seedDemo && production) {
    problems.push('HARBOUR_SEED_DEMO cannot be enabled in production');
  }

  const keyFile = read('HARBOUR_MASTER_KEY_FILE');
  const keyEnv = read('HARBOUR_MASTER_KEY');
  let masterKey: MasterKeySource;
  if (keyFile !== undefined && keyEnv !== undefined) {
    problems.push('set only one of HARBOUR_MASTER_KEY_FILE and HARBOUR_MASTER_KEY');
    masterKey = { kind: 'file', path: path(keyFile), createIfMissing: false };
  } else if (keyFile !== undefined) {
    masterKey = { kind: 'file', path: path(keyFile), createIfMissing: false };
  } else if (keyEnv !== undefined) {
    if (!/^[A-Za-z0-9+/]{43}=$/.test(keyEnv)) {
      problems.push('HARBOUR_MASTER_KEY must be 32 bytes in base64 (44 characters)');
    }
    masterKey = { kind: 'env', base64: keyEnv };
  } else {
    if (production && options.needsMasterKey !== false) {
      problems.push(
        'a master key is required in production: set HARBOUR_MASTER_KEY_FILE or HARBOUR_MASTER_KEY',
      );
    }
    // Development only: a key file under the data folder, created on first start.
    masterKey = {
      kind: 'file',
      path: resolve(dataDir, 'master.key'),
      createIfMissing: !production,
    };
  }

  const previousFile = read('HARBOUR_PREVIOUS_MASTER_KEY_FILE');
  const previousEnv = read('HARBOUR_PREVIOUS_MASTER_KEY');
  let previousMasterKey: MasterKeySource | null = null;
  if (previousFile !== undefined && previousEnv !== undefined) {
    problems.push(
      'set only one of HARBOUR_PREVIOUS_MASTER_KEY_FILE and HARBOUR_PREVIOUS_MASTER_KEY',
    );
  } else if (previousFile !== undefined) {
    previousMasterKey = { kind: 'file', path: path(previousFile), createIfMissing: false };
  } else if (previousEnv !== undefined) {
    if (!/^[A-Za-z0-9+/]{43}=$/.test(previousEnv)) {
      problems.push('HARBOUR_PREVIOUS_MASTER_KEY must be 32 bytes in base64 (44 characters)');
    }
    previousMasterKey = { kind: 'env', base64: previousEnv };
  }

  const backupKeyFile = read('HARBOUR_BACKUP_KEY_FILE');
  const backupKeyEnv = read('HARBOUR_BACKUP_KEY');
  let backupKey: BackupKeySource | null = null;
  if (backupKeyFile !== undefined && backupKeyEnv !== undefined) {
    problems.push('set only one of HARBOUR_BACKUP_KEY_FILE and HARBOUR_BACKUP_KEY');
  } else if (backupKeyFile !== undefined) {
    backupKey = { kind: 'file', path: path(backupKeyFile), createIfMissing: false };
  } else if (backupKeyEnv !== undefined) {
    if (!/^[A-Za-z0-9+/]{43}=$/.test(backupKeyEnv)) {
      problems.push('HARBOUR_BACKUP_KEY must be 32 bytes in base64 (44 characters)');
    } else if (backupKeyEnv === keyEnv) {
      problems.push('HARBOUR_BACKUP_KEY must not be the master key');
    }
    backupKey = { kind: 'env', base64: backupKeyEnv };
  } else if (!production) {
    // Development only: a key file under the data folder, created on first backup.
    backupKey = { kind: 'file', path: resolve(dataDir, 'backup.key'), createIfMissing: true };
  }
  const backupDirRaw = read('HARBOUR_BACKUP_DIR');
  const backupDir = backupDirRaw !== undefined ? path(backupDirRaw) : resolve(dataDir, 'backups');
  const adminUrl = read('HARBOUR_RESTORE_ADMIN_URL') ?? null;
  if (adminUrl !== null && !/^postgres(ql)?:\/\/[^\s]+$/.test(adminUrl)) {
    problems.push('HARBOUR_RESTORE_ADMIN_URL must be a postgres:// connection string');
  }

  const consoleRaw = read('HARBOUR_CONSOLE_DIR');
  const consoleDir = consoleRaw === 'none' ? null : path(consoleRaw ?? 'dist/apps/console/browser');

  const logRaw = read('LOG_LEVEL') ?? (nodeEnv === 'test' ? 'warn' : 'info');
  let logLevel: LogLevel = 'info';
  if ((LOG_LEVELS as readonly string[]).includes(logRaw)) {
    logLevel = logRaw as LogLevel;
  } else {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  }

  const witnessDirRaw = read('HARBOUR_AUDIT_WITNESS_DIR');
  const witnessDir =
    witnessDirRaw === 'none'
      ? null
      : witnessDirRaw !== undefined
        ? path(witnessDirRaw)
        : production
          ? null
          : resolve(dataDir, 'audit-witness');
  const witnessUrl = read('HARBOUR_AUDIT_WITNESS_URL') ?? null;
  if (witnessUrl !== null && !/^https?:\/\/[^\s]+$/.test(witnessUrl)) {
    problems.push('HARBOUR_AUDIT_WITNESS_URL must be an http(s) URL');
  }
  const hoursRaw = read('HARBOUR_AUDIT_WORKING_HOURS') ?? '7-20';
  const hoursMatch = /^(\d{1,2})-(\d{1,2})$/.exec(hoursRaw);
  let workingHours: [number, number] = [7, 20];
  if (
    hoursMatch === null ||
    Number(hoursMatch[1]) > 23 ||
    Number(hoursMatch[2]) > 24 ||
    Number(hoursMatch[1]) >= Number(hoursMatch[2])
  ) {
    problems.push('HARBOUR_AUDIT_WORKING_HOURS must look like 7-20 (UTC hours, start before end)');
  } else {
    workingHours = [Number(hoursMatch[1]), Number(hoursMatch[2])];
  }

  const jobs = {
    pollSeconds: int('HARBOUR_JOBS_POLL_SECONDS', 2, 1, 60),
    maintenanceSeconds: int('HARBOUR_JOBS_MAINTENANCE_SECONDS', 30, 1, 3600),
    expireSeconds: int('HARBOUR_JOBS_EXPIRE_SECONDS', 120, 2, 3600),
    sliceSeconds: int('HARBOUR_JOBS_SLICE_SECONDS', 20, 1, 600),
  };
  if (jobs.sliceSeconds * 2 > jobs.expireSeconds) {
    problems.push(
      'HARBOUR_JOBS_SLICE_SECONDS must be at most half of HARBOUR_JOBS_EXPIRE_SECONDS (a slice must end well before it is deemed dead)',
    );
  }

  const idleSeconds = int(
    'HARBOUR_SESSION_IDLE_SECONDS',
    SESSION_IDLE_MS / 1000,
    10,
    SESSION_IDLE_MS / 1000,
  );
  if (production && read('HARBOUR_SESSION_IDLE_SECONDS') !== undefined) {
    problems.push('HARBOUR_SESSION_IDLE_SECONDS is for development and tests only');
  }

  const metricsToken = readMetricsToken(read, path, problems);

  const config: HarbourConfig = {
    env: nodeEnv,
    http: {
      host: read('HARBOUR_HOST') ?? '127.0.0.1',
      port: int('PORT', 3000, 0, 65535),
      trustProxyHops: int('HARBOUR_TRUST_PROXY_HOPS', 0, 0, 10),
      maxBodyBytes: int('HARBOUR_MAX_BODY_BYTES', 100 * 1024, 1024, 10 * 1024 * 1024),
    },
    dataDir,
    database,
    replica,
    migrateOnStart,
    seedDemo,
    masterKey,
    previousMasterKey,
    consoleDir,
    logLevel,
    audit: { witnessDir, witnessUrl, workingHours },
    jobs,
    backup: {
      key: backupKey,
      dir: backupDir,
      keyringDir: path(read('HARBOUR_KEYRING_BACKUP_DIR') ?? join(backupDir, 'keyring')),
      adminUrl,
    },
    keys: {
      backupWindowDays: int('HARBOUR_KEY_BACKUP_WINDOW_DAYS', 35, 0, 3650),
      rotationBatch: int('HARBOUR_KEY_ROTATION_BATCH', 200, 1, 1000),
    },
    metrics: { token: metricsToken },
    sessions: { idleMs: production ? SESSION_IDLE_MS : idleSeconds * 1000 },
  };

  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(config);
}

/** A token a scraper can hold in a file or a header: 32 to 256 URL- and base64-safe characters. */
const METRICS_TOKEN = /^[A-Za-z0-9._~+/=-]{32,256}$/;

function readMetricsToken(
  read: (name: string) => string | undefined,
  path: (raw: string) => string,
  problems: string[],
): string | null {
  const file = read('HARBOUR_METRICS_TOKEN_FILE');
  let token = read('HARBOUR_METRICS_TOKEN') ?? null;
  if (file !== undefined) {
    if (token !== null)
      problems.push('set only one of HARBOUR_METRICS_TOKEN_FILE and HARBOUR_METRICS_TOKEN');
    try {
      token = readFileSync(path(file), 'utf8').trim();
    } catch {
      problems.push('HARBOUR_METRICS_TOKEN_FILE cannot be read');
      return null;
    }
  }
  if (token !== null && !METRICS_TOKEN.test(token)) {
    // Never echo the value: it is a secret.
    problems.push(
      'the metrics token must be 32 to 256 characters of A-Z a-z 0-9 . _ ~ + / = - (e.g. openssl rand -hex 32)',
    );
    return null;
  }
  return token;
}

function sameRole(a: string, b: string): boolean {
  try {
    const ua = new URL(a);
    const ub = new URL(b);
    return ua.host === ub.host && ua.username === ub.username;
  } catch {
    return false;
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
