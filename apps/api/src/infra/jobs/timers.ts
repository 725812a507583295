import type { FakeClock } from '../time/clock';

/** Cancels a scheduled callback (no-op when it already ran). */
export type CancelTimer = () => void;

/**
 * Where the scheduler's timers come from: real `setTimeout` in a running API, hand-driven
 * timers in tests. A callback returns a promise so a hand-driven source can wait for the run it
 * started.
 */
export abstract class TimerSource {
  abstract schedule(delayMs: number, callback: () => Promise<void>): CancelTimer;
}

/** Node's timers, unreferenced so a pending tick never keeps a stopping process alive. */
export class RealTimers extends TimerSource {
  schedule(delayMs: number, callback: () => Promise<void>): CancelTimer {
    const timer = setTimeout(() => void callback(), delayMs);
    timer.unref();
    return () => clearTimeout(timer);
  }
}

interface Pending {
  readonly at: number;
  readonly order: number;
  readonly callback: () => Promise<void>;
  cancelled: boolean;
}

/**
 * Timers that fire only when a test advances them: nothing ever runs in the background, so a
 * test app left with them never has a timer running. `advance(ms)` moves "timer time" forward,
 * firing every callback that falls due in order (all callbacks due at the same instant run
 * concurrently, as two API instances would), and waits for the runs they start. With a
 * `FakeClock`, the clock is set to each instant before its callbacks run. Several apps may
 * share one instance (and one clock) to act as several API instances on one database.
 */
export class ManualTimers extends TimerSource {
  private pending: Pending[] = [];
  private now: number;
  private order = 0;

  constructor(private readonly clock?: FakeClock) {
    super();
    this.now = clock?.now().getTime() ?? 0;
  }

  schedule(delayMs: number, callback: () => Promise<void>): CancelTimer {
    const entry: Pending = {
      at: this.current() + Math.max(0, delayMs),
      order: this.order++,
      callback,
      cancelled: false,
    };
    this.pending.push(entry);
    return () => {
      entry.cancelled = true;
    };
  }

  /** Timers not yet fired or cancelled. */
  get scheduled(): number {
    return this.pending.filter((p) => !p.cancelled).length;
  }

  async advance(ms: number): Promise<void> {
    const target = this.current() + ms;
    for (;;) {
      this.pending = this.pending.filter((p) => !p.cancelled);
      const next = this.pending.reduce<Pending | null>(
        (earliest, p) => (earliest === null || p.at < earliest.at ? p : earliest),
        null,
      );
      if (next === null || next.at > target) break;
      const due = this.pending.filter((p) => p.at === next.at).sort((a, b) => a.order - b.order);
      this.pending = this.pending.filter((p) => p.at !== next.at);
      this.setNow(next.at);
      await Promise.all(due.map((p) => p.callback()));
    }
    this.setNow(target);
  }

  private current(): number {
    // The clock may have been moved by the test itself: timer time never runs behind it.
    const clockNow = this.clock?.now().getTime();
    if (clockNow !== undefined && clockNow > this.now) this.now = clockNow;
    return this.now;
  }

  private setNow(at: number): void {
    this.now = Math.max(this.now, at);
    if (this.clock !== undefined && this.clock.now().getTime() < this.now) {
      this.clock.set(new Date(this.now));
    }
  }
}
