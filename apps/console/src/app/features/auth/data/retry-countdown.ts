import type { DestroyRef, WritableSignal } from '@angular/core';
import { computed, signal } from '@angular/core';
import type { CancelTimer, Clock } from '../../../core/time/clock';
import { formatCountdown } from '../../../core/time/clock';

/**
 * The wait a `429` asks for (`Retry-After`), counted down once a second so that the person can
 * see when to try again; the form's submit button stays disabled meanwhile.
 */
export class RetryCountdown {
  private readonly until = signal<number | null>(null);
  private readonly now: WritableSignal<number>;
  private stop: CancelTimer | null = null;

  readonly remainingMs = computed(() => {
    const until = this.until();
    return until === null ? 0 : Math.max(0, until - this.now());
  });
  readonly waiting = computed(() => this.remainingMs() > 0);
  readonly remaining = computed(() => formatCountdown(this.remainingMs()));

  constructor(
    private readonly clock: Clock,
    destroyRef: DestroyRef,
  ) {
    this.now = signal(clock.now());
    destroyRef.onDestroy(() => this.stop?.());
  }

  start(seconds: number): void {
    this.stop?.();
    this.now.set(this.clock.now());
    this.until.set(this.clock.now() + seconds * 1000);
    this.stop = this.clock.setInterval(() => {
      this.now.set(this.clock.now());
      if (!this.waiting()) this.clear();
    }, 1000);
  }

  clear(): void {
    this.stop?.();
    this.stop = null;
    this.until.set(null);
  }
}
