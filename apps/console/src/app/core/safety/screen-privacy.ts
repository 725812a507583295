import { DOCUMENT } from '@angular/common';
import type { DestroyRef } from '@angular/core';
import { inject, Injectable } from '@angular/core';
import { Clock } from '../time/clock';

/**
 * A tab hidden for longer than this (the worker answered a message, or the phone went into a
 * pocket) comes back with revealed identity and notes hidden again. Shorter absences keep them.
 */
export const HIDDEN_GRACE_MS = 30_000;

/**
 * Tells pages when what they revealed must be hidden again because the tab was away. (Leaving
 * the page hides it anyway: revealed values live in the page's own store and die with it.)
 */
@Injectable({ providedIn: 'root' })
export class ScreenPrivacy {
  private readonly clock = inject(Clock);
  private readonly document = inject(DOCUMENT);
  private readonly listeners = new Set<() => void>();
  private hiddenAt: number | null = null;

  constructor() {
    // The service lives as long as the app: the listener is never removed.
    this.document.addEventListener('visibilitychange', () =>
      this.noteVisibility(this.document.visibilityState === 'hidden'),
    );
  }

  /** Calls `hide` whenever the tab comes back after more than the grace period, until `until`. */
  onHidden(hide: () => void, until: DestroyRef): void {
    this.listeners.add(hide);
    until.onDestroy(() => this.listeners.delete(hide));
  }

  /** The tab was hidden (`true`) or shown again (`false`). */
  noteVisibility(hidden: boolean): void {
    const now = this.clock.now();
    if (hidden) {
      this.hiddenAt ??= now;
      return;
    }
    const away = this.hiddenAt === null ? 0 : now - this.hiddenAt;
    this.hiddenAt = null;
    if (away > HIDDEN_GRACE_MS) for (const hide of [...this.listeners]) hide();
  }
}
