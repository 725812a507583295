import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';
import { FakeClock } from '../time/clock';
import { Scheduler } from './scheduler';
import { ManualTimers, TimerSource } from './timers';

/** A promise and the function that settles it. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** The scheduler across API instances: one PostgreSQL advisory lock per task name. */
describe('Scheduler (two API instances on one database)', () => {
  let db: TestDatabase;
  let clock: FakeClock;
  let timers: ManualTimers;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    clock = new FakeClock();
    timers = new ManualTimers(clock);
    a = await createTestApp(db, { clock, timers });
    b = await createTestApp(db, { clock, timers });
  });

  afterAll(async () => {
    await a.close();
    await b.close();
    await db.drop();
  });

  it('runs a task on one instance at a time: the other skips while the lock is held', async () => {
    const held = gate();
    // Opened when the first run has taken the lock and entered the task (no fixed sleep: a
    // busy machine may take longer than any sleep to get there).
    const entered = gate();
    const ranOn: string[] = [];
    const task = (instance: string) => async () => {
      ranOn.push(instance);
      entered.open();
      await held.promise;
    };
    a.app.get(Scheduler).register('test.exclusive', 60_000, task('a'));
    b.app.get(Scheduler).register('test.exclusive', 60_000, task('b'));

    const first = a.app.get(Scheduler).runNow('test.exclusive');
    try {
      await entered.promise;
      expect(ranOn).toEqual(['a']);
      expect(await b.app.get(Scheduler).runNow('test.exclusive')).toBe('busy');
      expect(await a.app.get(Scheduler).runNow('test.exclusive')).toBe('busy');
      const [locks] = await db.asSuperuser<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted`,
      );
      expect(locks!.n).toBe(1);
    } finally {
      // Never leave the task holding the lock: closing the apps would wait for it.
      held.open();
    }
    expect(await first).toBe('ran');
    expect(await b.app.get(Scheduler).runNow('test.exclusive')).toBe('ran');
    expect(ranOn).toEqual(['a', 'b']);
  });

  it('on its timer, each tick runs the task once across the instances, never concurrently', async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const task = async (): Promise<void> => {
      active++;
      maxActive = Math.max(maxActive, active);
      runs++;
      // Hold the lock across a few round trips, as a real task would.
      await db.asApp(`SELECT pg_sleep(0.02)`);
      active--;
    };
    a.app.get(Scheduler).register('test.ticks', 5_000, task);
    b.app.get(Scheduler).register('test.ticks', 5_000, task);
    await timers.advance(50_000);
    expect(maxActive).toBe(1);
    // Ten ticks on each instance; at each, one runs and the other finds the lock taken or
    // runs right after it (tasks are idempotent by contract).
    expect(runs).toBeGreaterThanOrEqual(10);
    expect(runs).toBeLessThanOrEqual(20);
  });

  it('logs a failing run and runs the task again at the next tick', async () => {
    let calls = 0;
    a.app.get(Scheduler).register('test.flaky', 7_000, () => {
      calls++;
      if (calls === 1) return Promise.reject(new Error('secret detail that must not be logged'));
      return Promise.resolve();
    });
    await timers.advance(7_000);
    expect(calls).toBe(1);
    // Nest's static logger writes to the app created last: read both.
    const logs = a.rawLogs() + b.rawLogs();
    expect(logs).toContain('periodic task failed');
    expect(logs).toContain('"task\\":\\"test.flaky');
    expect(logs).not.toContain('secret detail');
    await timers.advance(7_000);
    expect(calls).toBe(2);
  });
});

describe('Scheduler lifecycle', () => {
  it('the medium-test harness uses hand-driven timers: nothing runs unless a test advances them', async () => {
    const db = await createTestDatabase();
    const app = await createTestApp(db);
    try {
      expect(app.app.get(TimerSource)).toBe(app.timers);
      expect(app.timers).toBeInstanceOf(ManualTimers);
      // The access log's checkpoint task is registered and waiting, but never fires by itself.
      expect(app.app.get(Scheduler).taskNames).toContain('audit.checkpoint');
      expect(app.timers.scheduled).toBeGreaterThan(0);
    } finally {
      await app.close();
      await db.drop();
    }
    expect(app.timers.scheduled).toBe(0);
  });

  it('stops on shutdown: waits for the run in progress, aborts its signal, schedules nothing more', async () => {
    const db = await createTestDatabase();
    const app = await createTestApp(db);
    const held = gate();
    const entered = gate();
    let aborted: boolean | null = null;
    let runs = 0;
    app.app.get(Scheduler).register('test.long', 5_000, async ({ signal }) => {
      runs++;
      entered.open();
      await held.promise;
      aborted = signal.aborted;
    });
    const tick = app.timers.advance(5_000);
    await entered.promise;
    const closing = app.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(aborted).toBeNull(); // close is waiting for the run
    held.open();
    await closing;
    await tick;
    expect(aborted).toBe(true);
    await app.timers.advance(60_000);
    expect(runs).toBe(1);
    expect(app.timers.scheduled).toBe(0);
    await db.drop();
  });
});
