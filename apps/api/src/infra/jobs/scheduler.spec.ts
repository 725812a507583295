import type { DataSource } from 'typeorm';
import { FakeClock } from '../time/clock';
import { Scheduler } from './scheduler';
import { ManualTimers } from './timers';

/** A data source that must never be reached (these tests never run a task). */
const unreachable = {
  createQueryRunner: () => {
    throw new Error('no database in unit tests');
  },
} as unknown as DataSource;

describe('ManualTimers', () => {
  it('fires callbacks in time order as time advances, moving the clock to each, and waits for them', async () => {
    const clock = new FakeClock(new Date('2026-01-01T00:00:00.000Z'));
    const timers = new ManualTimers(clock);
    const fired: string[] = [];
    timers.schedule(3_000, async () => {
      await Promise.resolve();
      fired.push(`b@${clock.now().toISOString()}`);
    });
    timers.schedule(1_000, () => {
      fired.push(`a@${clock.now().toISOString()}`);
      timers.schedule(1_000, () => {
        fired.push(`c@${clock.now().toISOString()}`);
        return Promise.resolve();
      });
      return Promise.resolve();
    });
    const cancel = timers.schedule(2_500, () => {
      fired.push('cancelled');
      return Promise.resolve();
    });
    cancel();
    await timers.advance(2_999);
    expect(fired).toEqual(['a@2026-01-01T00:00:01.000Z', 'c@2026-01-01T00:00:02.000Z']);
    await timers.advance(1);
    expect(fired.at(-1)).toBe('b@2026-01-01T00:00:03.000Z');
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:03.000Z');
    expect(timers.scheduled).toBe(0);
  });

  it('never runs anything unless advanced', async () => {
    const timers = new ManualTimers();
    let ran = false;
    timers.schedule(0, () => {
      ran = true;
      return Promise.resolve();
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ran).toBe(false);
    expect(timers.scheduled).toBe(1);
  });
});

describe('Scheduler', () => {
  const noop = (): Promise<void> => Promise.resolve();

  it('refuses bad names, duplicate names and intervals under a second', () => {
    const scheduler = new Scheduler(unreachable, new ManualTimers(), { enabled: true });
    scheduler.register('audit.checkpoint', 10_000, noop);
    expect(() => scheduler.register('audit.checkpoint', 10_000, noop)).toThrow(/already/);
    expect(() => scheduler.register('Bad Name', 10_000, noop)).toThrow(/invalid task name/);
    expect(() => scheduler.register('reports.publish', 999, noop)).toThrow(/at least 1000/);
    expect(() => scheduler.register('reports.publish', 1500.5, noop)).toThrow(/whole number/);
    expect(scheduler.taskNames).toEqual(['audit.checkpoint']);
  });

  it('starts its tasks at bootstrap, and not at all when disabled (the operator CLI)', async () => {
    const on = new ManualTimers();
    const enabled = new Scheduler(unreachable, on, { enabled: true });
    enabled.register('a.task', 5_000, noop);
    expect(on.scheduled).toBe(0);
    enabled.onApplicationBootstrap();
    enabled.register('b.task', 5_000, noop);
    expect(on.scheduled).toBe(2);
    await enabled.onModuleDestroy();
    expect(on.scheduled).toBe(0);

    const off = new ManualTimers();
    const disabled = new Scheduler(unreachable, off, { enabled: false });
    disabled.register('a.task', 5_000, noop);
    disabled.onApplicationBootstrap();
    expect(off.scheduled).toBe(0);
  });
});
