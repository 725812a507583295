import { Injectable } from '@angular/core';

/** Stops a scheduled callback. Calling it again, or after the callback ran, does nothing. */
export type CancelTimer = () => void;

/** `setTimeout` cannot wait longer than this (about 24.8 days): longer delays fire at once. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * The console's only source of time and timers (docs/style.md §20: injected clocks for time rules).
 * It uses the global `Date.now`, `setTimeout` and `setInterval`, so Jest's fake timers control
 * it; a test may also provide a fake instead.
 */
@Injectable({ providedIn: 'root' })
export class Clock {
  /** Milliseconds since the epoch. */
  now(): number {
    return Date.now();
  }

  /** Runs `callback` once, `delayMs` from now. */
  setTimeout(callback: () => void, delayMs: number): CancelTimer {
    const id = setTimeout(callback, Math.max(0, delayMs));
    return () => clearTimeout(id);
  }

  /** Runs `callback` every `periodMs` until cancelled. */
  setInterval(callback: () => void, periodMs: number): CancelTimer {
    const id = setInterval(callback, periodMs);
    return () => clearInterval(id);
  }

  /** Runs `callback` once at the epoch time `at` (at once if that has passed), however far off. */
  at(at: number, callback: () => void): CancelTimer {
    let cancel: CancelTimer = () => undefined;
    const arm = (): void => {
      const delay = at - this.now();
      if (delay > MAX_TIMEOUT_MS) cancel = this.setTimeout(arm, MAX_TIMEOUT_MS);
      else cancel = this.setTimeout(callback, delay);
    };
    arm();
    return () => cancel();
  }
}

/** `m:ss` for a countdown (rounded up to the whole second, never negative). */
export function formatCountdown(ms: number): string {
  const totalSeconds = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  return `${minutes}:${seconds.toString().padStart(2, '0')}`;
}
