import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  eventually,
  freePort,
  type HarbourProcess,
  isAlive,
  processesMentioning,
  removeDataDir,
  startHarbour,
  tempDataDir,
} from './support/harbour-process';

/**
 * `npm start` on a machine with no PostgreSQL: the embedded server starts, the console and
 * `/health/ready` answer, a signal leaves no process behind, and a second start reuses the data.
 */
describe('npm start lifecycle', () => {
  const dataDir = tempDataDir();
  let dbPort: number;
  let running: HarbourProcess | null = null;

  beforeAll(async () => {
    // The embedded server's port is part of its configuration: keep it across both starts.
    dbPort = await freePort();
  });

  afterEach(async () => {
    await running?.stop('SIGINT');
    running = null;
  });

  afterAll(() => {
    removeDataDir(dataDir);
  });

  it('starts on a fresh data folder, answers ready, and SIGINT leaves nothing running', async () => {
    const harbour = (running = await startHarbour(dataDir, { dbPort }));
    const apiPid = harbour.child.pid;
    const messages = harbour.logs.map((l) => l['msg']);
    expect(messages).toEqual(
      expect.arrayContaining([
        'initialising a new database cluster',
        'seeded the demo organisations',
      ]),
    );
    expect(
      messages.some((m) => typeof m === 'string' && m.startsWith('database server started')),
    ).toBe(true);

    const ready = await fetch(new URL('/health/ready', harbour.url));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok', checks: { database: 'ok', witness: 'ok' } });
    const page = await fetch(harbour.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<app-root');

    expect(processesMentioning(dataDir).length).toBeGreaterThan(0); // the database is running
    const postgresPid = Number(
      readFileSync(join(dataDir, 'postgres/pgdata/postmaster.pid'), 'utf8').split('\n')[0],
    );
    expect(isAlive(postgresPid)).toBe(true);

    expect(await harbour.stop('SIGINT')).toBe(0);
    expect(await eventually(() => !isAlive(postgresPid))).toBe(true);
    expect(isAlive(apiPid)).toBe(false);
    expect(processesMentioning(dataDir)).toEqual([]);
  });

  it('reuses the data on a second start and stops cleanly on SIGTERM', async () => {
    const key = readFileSync(join(dataDir, 'master.key'), 'utf8');
    const harbour = (running = await startHarbour(dataDir, { dbPort }));
    const messages = harbour.logs.map((l) => l['msg']);
    expect(messages).not.toContain('initialising a new database cluster');
    expect(messages).not.toContain('seeded the demo organisations');
    expect(messages).toContain('existing data kept');
    expect(messages).toContain('schema is up to date');
    expect(readFileSync(join(dataDir, 'master.key'), 'utf8')).toBe(key);

    const ready = await fetch(new URL('/health/ready', harbour.url));
    expect(ready.status).toBe(200);

    expect(await harbour.stop('SIGTERM')).toBe(0);
    expect(await eventually(() => processesMentioning(dataDir).length === 0)).toBe(true);
  });
});
