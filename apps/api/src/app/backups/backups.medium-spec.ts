import { uuidv7 } from '@harbour/domain';
import { AuthHarness, type TestBrowser, type TestUser } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';

const DAY = 86_400_000;
/** Put in every run's `detail`: it must never reach an answer or a log line. */
const MARKER = 'DETAIL-MARKER-7f3a9c';

/**
 * `GET /api/backups/status` on a real database: the runs the operator CLI records (inserted here
 * as the owner, as the CLI writes them), read through the API role; staleness by the app's clock.
 */
describe('GET /api/backups/status', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let h: AuthHarness;
  let org: string;
  let admin: TestUser;

  async function insertRun(run: {
    kind: 'backup' | 'verify' | 'restore';
    ok: boolean;
    daysAgo: number;
    fileName: string | null;
    rows: number;
    errorCode?: string;
  }): Promise<void> {
    const finished = new Date(harbour.clock.now().getTime() - run.daysAgo * DAY);
    await db.asOwner(
      `INSERT INTO backup_run (id, kind, started_at, finished_at, ok, file_name, "tables", "rows",
                               bytes, error_code, detail)
       VALUES ($1, $2, $3, $4, $5, $6, 31, $7, 4096, $8, $9::jsonb)`,
      [
        uuidv7(),
        run.kind,
        new Date(finished.getTime() - 60_000),
        finished,
        run.ok,
        run.fileName,
        run.rows,
        run.errorCode ?? null,
        JSON.stringify({ tables: { person: { rows: 3, note: MARKER } }, message: MARKER }),
      ],
    );
  }

  async function status(browser: TestBrowser) {
    const res = await browser.send('get', '/api/backups/status');
    expect(res.status).toBe(200);
    return res;
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    h = new AuthHarness(harbour);
    org = await h.createOrganisation('Backup Watchers');
    admin = await h.createUser(org, { roles: ['admin'] });
  }, 60_000);

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  it('with no runs recorded: nothing to show, and both stale', async () => {
    const res = await status(await h.signIn(admin));
    expect(res.body).toEqual({
      lastBackup: null,
      lastVerifiedRestore: null,
      lastFailure: null,
      staleAfterDays: 7,
      backupStale: true,
      verifyStale: true,
    });
  });

  it('shows the last good backup, the failure after it, and a stale rehearsal; never the detail', async () => {
    await insertRun({ kind: 'backup', ok: true, daysAgo: 2, fileName: 'good.hbk', rows: 5000 });
    await insertRun({
      kind: 'backup',
      ok: false,
      daysAgo: 1,
      fileName: null,
      rows: 0,
      errorCode: 'backup_write_failed',
    });
    await insertRun({ kind: 'verify', ok: true, daysAgo: 9, fileName: 'older.hbk', rows: 4800 });

    const browser = await h.signIn(admin);
    const res = await status(browser);
    const now = harbour.clock.now().getTime();
    expect(res.body).toMatchObject({
      lastBackup: { kind: 'backup', fileName: 'good.hbk', tables: 31, rows: 5000, bytes: 4096 },
      lastVerifiedRestore: { kind: 'verify', fileName: 'older.hbk', rows: 4800 },
      lastFailure: { kind: 'backup', fileName: null, errorCode: 'backup_write_failed' },
      backupStale: false,
      verifyStale: true,
    });
    const lastBackup = res.body['lastBackup'] as Record<string, unknown>;
    expect(Object.keys(lastBackup).sort()).toEqual(
      ['bytes', 'errorCode', 'fileName', 'finishedAt', 'kind', 'rows', 'tables'].sort(),
    );
    // Two days (and the 30 s each sign-in moves the clock) before now.
    expect(now - Date.parse(lastBackup['finishedAt'] as string)).toBeGreaterThanOrEqual(2 * DAY);
    expect(now - Date.parse(lastBackup['finishedAt'] as string)).toBeLessThan(2 * DAY + 60_000);
    expect(res.text).not.toContain(MARKER);
    expect(res.text).not.toContain('detail');
    expect(harbour.rawLogs()).not.toContain(MARKER);

    // Reading it is an access event of the admin's organisation, like reading the keys.
    const events = await db.asSuperuser<{ actor_id: string; outcome: string }>(
      `SELECT actor_id, outcome FROM access_event
        WHERE organisation_id = $1 AND action = 'backups.status_viewed'`,
      [org],
    );
    expect(events).toContainEqual({ actor_id: admin.id, outcome: 'success' });
  });

  it('turns the backup stale once it is more than seven days old by the clock', async () => {
    harbour.clock.advance(6 * DAY);
    // The session has idled out meanwhile: sign in again.
    const res = await status(await h.signIn(admin));
    expect(res.body).toMatchObject({ backupStale: true, verifyStale: true });
    expect(res.body['lastBackup']).toMatchObject({ fileName: 'good.hbk' });
  });

  it('is fresh again after a new backup and rehearsal, which also clear the failure', async () => {
    await insertRun({ kind: 'backup', ok: true, daysAgo: 0, fileName: 'new.hbk', rows: 5100 });
    await insertRun({ kind: 'verify', ok: true, daysAgo: 0, fileName: 'new.hbk', rows: 5100 });
    const res = await status(await h.signIn(admin));
    expect(res.body).toMatchObject({
      lastBackup: { fileName: 'new.hbk' },
      lastVerifiedRestore: { fileName: 'new.hbk' },
      lastFailure: null,
      backupStale: false,
      verifyStale: false,
    });
  });

  it.each(['caseworker', 'coordinator', 'auditor'] as const)(
    'refuses a %s (403), without the status',
    async (role) => {
      const user = await h.createUser(org, { roles: [role] });
      const res = await (await h.signIn(user)).send('get', '/api/backups/status');
      expect({ status: res.status, code: res.body.code }).toEqual({
        status: 403,
        code: 'forbidden',
      });
      expect(res.text).not.toContain('new.hbk');
    },
  );
});
