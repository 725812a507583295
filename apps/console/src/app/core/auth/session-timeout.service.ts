import { effect, inject, Injectable, untracked, DestroyRef } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { MatDialogRef } from '@angular/material/dialog';
import { MatDialog } from '@angular/material/dialog';
import { SESSION_WARNING_MS } from '@harbour/domain';
import type { CancelTimer } from '../time/clock';
import { Clock } from '../time/clock';
import { SessionEnd } from './session-end.service';
import { SessionWarningDialog } from './session-warning-dialog';
import type { SessionDeadline } from './session.store';
import { SessionStore } from './session.store';

/**
 * Watches the session deadline (the nearer of idle and absolute): two minutes before it, a
 * warning dialog; at it, the session ends here and the sign-in page says why. Any successful API
 * call moves the idle deadline (see `sessionActivityInterceptor`) and so closes the warning.
 */
@Injectable({ providedIn: 'root' })
export class SessionTimeout {
  private readonly destroyRef = inject(DestroyRef);
  private readonly store = inject(SessionStore);
  private readonly clock = inject(Clock);
  private readonly dialog = inject(MatDialog);
  private readonly sessionEnd = inject(SessionEnd);

  private timers: CancelTimer[] = [];
  private warning: {
    readonly ref: MatDialogRef<SessionWarningDialog>;
    readonly kind: SessionDeadline['kind'];
  } | null = null;

  constructor() {
    effect(() => {
      const deadline = this.store.deadline();
      untracked(() => this.schedule(deadline));
    });
  }

  private schedule(deadline: SessionDeadline | null): void {
    for (const cancel of this.timers) cancel();
    this.timers = [];
    if (deadline === null) {
      this.closeWarning();
      return;
    }
    // Two minutes ahead; with the short idle timeouts of development and tests, a quarter of it.
    const lead =
      deadline.kind === 'idle'
        ? Math.min(SESSION_WARNING_MS, this.store.idleMs() / 4)
        : SESSION_WARNING_MS;
    const warnAt = deadline.at - lead;
    if (
      this.warning !== null &&
      (this.clock.now() < warnAt || this.warning.kind !== deadline.kind)
    ) {
      this.closeWarning();
    }
    this.timers = [
      this.clock.at(warnAt, () => this.openWarning(deadline)),
      this.clock.at(deadline.at, () => void this.sessionEnd.endLocally(deadline.kind)),
    ];
  }

  private openWarning(deadline: SessionDeadline): void {
    if (this.warning !== null) return;
    const ref = this.dialog.open(SessionWarningDialog, {
      data: deadline,
      role: 'alertdialog',
      disableClose: true,
    });
    this.warning = { ref, kind: deadline.kind };
    ref
      .afterClosed()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe(() => {
        if (this.warning?.ref === ref) this.warning = null;
      });
  }

  private closeWarning(): void {
    const warning = this.warning;
    this.warning = null;
    warning?.ref.close();
  }
}
