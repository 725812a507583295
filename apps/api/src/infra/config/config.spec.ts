import { ConfigError, loadConfig } from './config';

const CWD = '/srv/harbour';
const KEY = Buffer.alloc(32, 7).toString('base64');

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env, CWD);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('defaults to development on the embedded database', () => {
    const config = loadConfig({}, CWD);
    expect(config.env).toBe('development');
    expect(config.database).toEqual({ mode: 'embedded', port: 5439 });
    expect(config.http).toEqual({
      host: '127.0.0.1',
      port: 3000,
      trustProxyHops: 0,
      maxBodyBytes: 102_400,
    });
    expect(config.dataDir).toBe('/srv/harbour/.harbour');
    expect(config.masterKey).toEqual({
      kind: 'file',
      path: '/srv/harbour/.harbour/master.key',
      createIfMissing: true,
    });
    expect(config.migrateOnStart).toBe(true);
    expect(config.seedDemo).toBe(true);
    expect(config.consoleDir).toBe('/srv/harbour/dist/apps/console/browser');
    expect(config.backup).toEqual({
      key: { kind: 'file', path: '/srv/harbour/.harbour/backup.key', createIfMissing: true },
      dir: '/srv/harbour/.harbour/backups',
      keyringDir: '/srv/harbour/.harbour/backups/keyring',
      adminUrl: null,
    });
  });

  describe('the backup key', () => {
    const production = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://app:pw@db:5432/harbour',
      HARBOUR_MASTER_KEY: KEY,
    };

    it('is not required in production (only the backup commands need it, and refuse without)', () => {
      expect(loadConfig(production, CWD).backup.key).toBeNull();
    });

    it('comes from a file or the environment, never both, never the master key', () => {
      expect(
        loadConfig({ ...production, HARBOUR_BACKUP_KEY_FILE: 'keys/backup.key' }, CWD).backup,
      ).toEqual({
        key: { kind: 'file', path: '/srv/harbour/keys/backup.key', createIfMissing: false },
        dir: '/srv/harbour/.harbour/backups',
        keyringDir: '/srv/harbour/.harbour/backups/keyring',
        adminUrl: null,
      });
      const other = Buffer.alloc(32, 9).toString('base64');
      expect(loadConfig({ HARBOUR_BACKUP_KEY: other }, CWD).backup.key).toEqual({
        kind: 'env',
        base64: other,
      });
      expect(
        problemsOf({ HARBOUR_BACKUP_KEY: other, HARBOUR_BACKUP_KEY_FILE: '/run/secrets/b' }),
      ).toEqual(['set only one of HARBOUR_BACKUP_KEY_FILE and HARBOUR_BACKUP_KEY']);
      expect(problemsOf({ HARBOUR_MASTER_KEY: KEY, HARBOUR_BACKUP_KEY: KEY })).toEqual([
        'HARBOUR_BACKUP_KEY must not be the master key',
      ]);
    });

    it('refuses a malformed key without echoing it', () => {
      const secret = 'not-a-key-but-secret';
      const problems = problemsOf({ HARBOUR_BACKUP_KEY: secret });
      expect(problems).toEqual(['HARBOUR_BACKUP_KEY must be 32 bytes in base64 (44 characters)']);
      expect(problems.join('')).not.toContain(secret);
    });

    it('takes a restore admin URL for the commands that create a database', () => {
      const url = 'postgres://postgres:pw@db:5432/postgres';
      expect(loadConfig({ HARBOUR_RESTORE_ADMIN_URL: url }, CWD).backup.adminUrl).toBe(url);
      expect(problemsOf({ HARBOUR_RESTORE_ADMIN_URL: 'mysql://x' })).toEqual([
        'HARBOUR_RESTORE_ADMIN_URL must be a postgres:// connection string',
      ]);
    });

    it('writes backups under HARBOUR_BACKUP_DIR', () => {
      expect(loadConfig({ HARBOUR_BACKUP_DIR: '/var/backups/harbour' }, CWD).backup.dir).toBe(
        '/var/backups/harbour',
      );
    });
  });

  it('is frozen all the way down', () => {
    const config = loadConfig({}, CWD);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.http)).toBe(true);
    expect(Object.isFrozen(config.database)).toBe(true);
  });

  it('uses the configured server with two distinct roles', () => {
    const config = loadConfig(
      {
        DATABASE_URL: 'postgres://app:pw@db:5432/harbour',
        DATABASE_MIGRATION_URL: 'postgres://owner:pw@db:5432/harbour',
      },
      CWD,
    );
    expect(config.database).toEqual({
      mode: 'external',
      url: 'postgres://app:pw@db:5432/harbour',
      migrationUrl: 'postgres://owner:pw@db:5432/harbour',
      keyringUrl: null,
      keyringMigrationUrl: null,
    });
  });

  it('takes a read replica and its lag bound, and refuses one that is not a postgres URL', () => {
    expect(loadConfig({}, CWD).replica).toEqual({ url: null, maxLagSeconds: 30 });
    const config = loadConfig(
      {
        DATABASE_REPLICA_URL: 'postgres://app:pw@replica:5432/harbour',
        HARBOUR_REPLICA_MAX_LAG_SECONDS: '5',
      },
      CWD,
    );
    expect(config.replica).toEqual({
      url: 'postgres://app:pw@replica:5432/harbour',
      maxLagSeconds: 5,
    });
    expect(
      problemsOf({ DATABASE_REPLICA_URL: 'replica:5432', HARBOUR_REPLICA_MAX_LAG_SECONDS: '0' }),
    ).toEqual([
      'DATABASE_REPLICA_URL must be a postgres:// connection string',
      'HARBOUR_REPLICA_MAX_LAG_SECONDS must be between 1 and 3600',
    ]);
  });

  it('takes a keyring database on a server of its own, and refuses one that is not a postgres URL', () => {
    const config = loadConfig(
      {
        DATABASE_URL: 'postgres://app:pw@db:5432/harbour',
        HARBOUR_KEYRING_DATABASE_URL: 'postgres://app:pw@keys:5432/keyring',
        HARBOUR_MIGRATE_ON_START: 'false',
      },
      CWD,
    );
    expect(config.database).toMatchObject({ keyringUrl: 'postgres://app:pw@keys:5432/keyring' });
    expect(() =>
      loadConfig(
        {
          DATABASE_URL: 'postgres://app:pw@db:5432/harbour',
          HARBOUR_KEYRING_DATABASE_URL: 'keys:5432/keyring',
          HARBOUR_MIGRATE_ON_START: 'false',
        },
        CWD,
      ),
    ).toThrow(/HARBOUR_KEYRING_DATABASE_URL must be a postgres:\/\/ connection string/);
  });

  it('refuses the same role for the API and migrations', () => {
    expect(
      problemsOf({
        DATABASE_URL: 'postgres://owner:a@db/harbour',
        DATABASE_MIGRATION_URL: 'postgres://owner:b@db/harbour',
      }),
    ).toContain(
      'DATABASE_URL and DATABASE_MIGRATION_URL must use different roles (the API role owns nothing)',
    );
  });

  it('needs the owner URL to migrate on start against a configured server', () => {
    expect(problemsOf({ DATABASE_URL: 'postgres://app:pw@db/harbour' })).toContain(
      'HARBOUR_MIGRATE_ON_START needs DATABASE_MIGRATION_URL (the owner role)',
    );
    expect(
      problemsOf({
        DATABASE_URL: 'postgres://app:pw@db/harbour',
        HARBOUR_MIGRATE_ON_START: 'false',
      }),
    ).toEqual([]);
  });

  describe('in production', () => {
    it('requires a database, a master key, and no demo data', () => {
      const problems = problemsOf({ NODE_ENV: 'production', HARBOUR_SEED_DEMO: 'true' });
      expect(problems).toEqual(
        expect.arrayContaining([
          'DATABASE_URL is required in production (the embedded database is for development)',
          'a master key is required in production: set HARBOUR_MASTER_KEY_FILE or HARBOUR_MASTER_KEY',
          'HARBOUR_SEED_DEMO cannot be enabled in production',
        ]),
      );
    });

    it('never creates a key file and neither migrates nor seeds by default', () => {
      const config = loadConfig(
        {
          NODE_ENV: 'production',
          DATABASE_URL: 'postgres://app:pw@db/h',
          HARBOUR_MASTER_KEY_FILE: '/run/secrets/key',
        },
        CWD,
      );
      expect(config.masterKey).toEqual({
        kind: 'file',
        path: '/run/secrets/key',
        createIfMissing: false,
      });
      expect(config.migrateOnStart).toBe(false);
      expect(config.seedDemo).toBe(false);
    });
  });

  it('lets the migration job run in production without a master key', () => {
    const env = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://app:pw@db/h',
      DATABASE_MIGRATION_URL: 'postgres://owner:pw@db/h',
    };
    expect(problemsOf(env)).toContain(
      'a master key is required in production: set HARBOUR_MASTER_KEY_FILE or HARBOUR_MASTER_KEY',
    );
    expect(() => loadConfig(env, CWD, { needsMasterKey: false })).not.toThrow();
  });

  it('accepts a base64 master key from the environment and rejects a malformed one without echoing it', () => {
    expect(loadConfig({ HARBOUR_MASTER_KEY: KEY }, CWD).masterKey).toEqual({
      kind: 'env',
      base64: KEY,
    });
    const secret = 'c2VjcmV0LXRoYXQtaXMtdG9vLXNob3J0';
    const problems = problemsOf({ HARBOUR_MASTER_KEY: secret });
    expect(problems).toEqual(['HARBOUR_MASTER_KEY must be 32 bytes in base64 (44 characters)']);
    expect(problems.join()).not.toContain(secret);
  });

  it('takes the previous master key of a rotation from a file or the environment, never echoing it', () => {
    const other = Buffer.alloc(32, 9).toString('base64');
    expect(
      loadConfig({ HARBOUR_MASTER_KEY: KEY, HARBOUR_PREVIOUS_MASTER_KEY: other }, CWD)
        .previousMasterKey,
    ).toEqual({ kind: 'env', base64: other });
    expect(
      loadConfig({ HARBOUR_PREVIOUS_MASTER_KEY_FILE: 'old.key' }, CWD).previousMasterKey,
    ).toEqual({ kind: 'file', path: '/srv/harbour/old.key', createIfMissing: false });
    expect(loadConfig({}, CWD).previousMasterKey).toBeNull();
    const problems = problemsOf({
      HARBOUR_PREVIOUS_MASTER_KEY: 'c2hvcnQ=',
      HARBOUR_PREVIOUS_MASTER_KEY_FILE: 'old.key',
    });
    expect(problems).toEqual([
      'set only one of HARBOUR_PREVIOUS_MASTER_KEY_FILE and HARBOUR_PREVIOUS_MASTER_KEY',
    ]);
    expect(problemsOf({ HARBOUR_PREVIOUS_MASTER_KEY: 'c2hvcnQ=' })).toEqual([
      'HARBOUR_PREVIOUS_MASTER_KEY must be 32 bytes in base64 (44 characters)',
    ]);
  });

  it('has job and key settings with defaults, and refuses a slice that could outlive its expiry', () => {
    const config = loadConfig({}, CWD);
    expect(config.jobs).toEqual({
      pollSeconds: 2,
      maintenanceSeconds: 30,
      expireSeconds: 120,
      sliceSeconds: 20,
    });
    expect(config.keys).toEqual({ backupWindowDays: 35, rotationBatch: 200 });
    expect(
      problemsOf({ HARBOUR_JOBS_SLICE_SECONDS: '61', HARBOUR_JOBS_EXPIRE_SECONDS: '120' }),
    ).toEqual([
      'HARBOUR_JOBS_SLICE_SECONDS must be at most half of HARBOUR_JOBS_EXPIRE_SECONDS (a slice must end well before it is deemed dead)',
    ]);
    expect(problemsOf({ HARBOUR_KEY_ROTATION_BATCH: '0' })).toEqual([
      'HARBOUR_KEY_ROTATION_BATCH must be between 1 and 1000',
    ]);
  });

  it('reports every problem at once', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      LOG_LEVEL: 'loud',
      NODE_ENV: 'staging',
      HARBOUR_TRUST_PROXY_HOPS: '99',
    });
    expect(problems).toHaveLength(4);
  });

  it('never echoes connection strings (they hold passwords)', () => {
    const problems = problemsOf({
      DATABASE_URL: 'mysql://app:hunter2@db/h',
      HARBOUR_MIGRATE_ON_START: 'false',
    });
    expect(problems).toEqual(['DATABASE_URL must be a postgres:// connection string']);
    expect(problems.join()).not.toContain('hunter2');
  });

  it('can serve the API without a console', () => {
    expect(loadConfig({ HARBOUR_CONSOLE_DIR: 'none' }, CWD).consoleDir).toBeNull();
  });

  it('shortens the session idle timeout only outside production', () => {
    expect(loadConfig({}, CWD).sessions.idleMs).toBe(15 * 60 * 1000);
    expect(loadConfig({ HARBOUR_SESSION_IDLE_SECONDS: '45' }, CWD).sessions.idleMs).toBe(45_000);
    expect(problemsOf({ HARBOUR_SESSION_IDLE_SECONDS: '5' })).toEqual([
      'HARBOUR_SESSION_IDLE_SECONDS must be between 10 and 900',
    ]);
    expect(
      problemsOf({
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://app:pw@db:5432/harbour',
        HARBOUR_MASTER_KEY: KEY,
        HARBOUR_SESSION_IDLE_SECONDS: '60',
      }),
    ).toEqual(['HARBOUR_SESSION_IDLE_SECONDS is for development and tests only']);
  });
});
