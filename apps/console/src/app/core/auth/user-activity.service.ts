import { DOCUMENT } from '@angular/common';
import { DestroyRef, inject, Injectable } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { appErrorOf } from '../http/app-error';
import { Clock } from '../time/clock';
import { AuthApi } from './auth.api';
import { SessionEnd } from './session-end.service';
import { SessionStore } from './session.store';

/** Input by a person (not timers, not polling): what counts as activity besides API calls. */
export const USER_INPUT_EVENTS: readonly string[] = ['keydown', 'input', 'pointerdown'];

/** At most one keep-alive a minute, however fast somebody types. */
export const KEEP_ALIVE_EVERY_MS = 60_000;

/**
 * Typing counts as activity. The API moves its idle deadline on every request, but somebody
 * typing a long post-raid intake makes none; so real input (trusted keyboard, input and pointer
 * events anywhere in the app) sends a keep-alive (`GET /api/auth/session`, which moves the idle
 * deadline and never the absolute one) — only once the idle deadline is within reach (less than
 * half of the idle timeout left) and at most once a minute. Nothing is sent while nobody touches
 * the device, so an unattended console still locks.
 */
@Injectable({ providedIn: 'root' })
export class UserActivity {
  private readonly store = inject(SessionStore);
  private readonly clock = inject(Clock);
  private readonly api = inject(AuthApi);
  private readonly sessionEnd = inject(SessionEnd);
  private readonly destroyRef = inject(DestroyRef);

  private lastSent = -Infinity;
  private sending = false;

  constructor() {
    const document = inject(DOCUMENT);
    const listener = (event: Event): void => {
      // Synthetic events (scripts, tests, extensions) are not a person at the device.
      if (event.isTrusted) this.noteInput();
    };
    const options: AddEventListenerOptions = { capture: true, passive: true };
    for (const type of USER_INPUT_EVENTS) document.addEventListener(type, listener, options);
    this.destroyRef.onDestroy(() => {
      for (const type of USER_INPUT_EVENTS) document.removeEventListener(type, listener, options);
    });
  }

  /** A person just typed, tapped or clicked. Returns whether a keep-alive was sent. */
  noteInput(): boolean {
    const deadline = this.store.deadline();
    // Only the idle limit can be pushed back; the 8-hour one ends the session whatever happens.
    if (deadline?.kind !== 'idle') return false;
    const now = this.clock.now();
    const span = this.store.idleMs();
    if (now >= deadline.at || deadline.at - now > span / 2) return false;
    if (this.sending || now - this.lastSent < Math.min(KEEP_ALIVE_EVERY_MS, span / 4)) {
      return false;
    }
    this.sending = true;
    this.lastSent = now;
    this.api
      .session()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (session) => {
          this.sending = false;
          if (this.store.authenticated()) this.store.signIn(session);
        },
        error: (error: unknown) => {
          this.sending = false;
          // 401: the session ended on the server (revoked, or its deadline passed meanwhile).
          if (appErrorOf(error).code === 'unauthenticated')
            void this.sessionEnd.endLocally('expired');
        },
      });
    return true;
  }
}
