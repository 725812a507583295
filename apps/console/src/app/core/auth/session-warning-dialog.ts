import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  inject,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { TranslocoPipe } from '@jsverse/transloco';
import type { AppError } from '../http/app-error';
import { appErrorOf } from '../http/app-error';
import { Clock, formatCountdown } from '../time/clock';
import { AuthApi } from './auth.api';
import { SessionEnd } from './session-end.service';
import type { SessionDeadline } from './session.store';
import { SessionStore } from './session.store';

/**
 * "You will be signed out in m:ss". For the idle limit, "Stay signed in" asks the API for the
 * session (which counts as activity); the 8-hour limit cannot be extended, only acknowledged.
 */
@Component({
  selector: 'app-session-warning-dialog',
  imports: [MatButtonModule, MatDialogModule, TranslocoPipe],
  templateUrl: './session-warning-dialog.html',
  styleUrl: './session-warning-dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { 'data-testid': 'session-warning-dialog' },
})
export class SessionWarningDialog {
  private readonly destroyRef = inject(DestroyRef);
  protected readonly deadline = inject<SessionDeadline>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<SessionWarningDialog>>(MatDialogRef);
  private readonly clock = inject(Clock);
  private readonly api = inject(AuthApi);
  private readonly store = inject(SessionStore);
  private readonly sessionEnd = inject(SessionEnd);

  private readonly now = signal(this.clock.now());
  protected readonly remaining = computed(() => formatCountdown(this.deadline.at - this.now()));
  protected readonly busy = signal(false);
  protected readonly error = signal<AppError | null>(null);

  constructor() {
    const stop = this.clock.setInterval(() => this.now.set(this.clock.now()), 1000);
    this.destroyRef.onDestroy(stop);
  }

  protected stay(): void {
    if (this.busy()) return;
    this.busy.set(true);
    this.error.set(null);
    this.api
      .session()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (session) => {
          this.store.signIn(session);
          this.ref.close();
        },
        error: (error: unknown) => {
          const appError = appErrorOf(error);
          if (appError.code === 'unauthenticated') {
            void this.sessionEnd.endLocally('expired');
            return;
          }
          this.error.set(appError);
          this.busy.set(false);
        },
      });
  }

  protected continueWorking(): void {
    this.ref.close();
  }

  protected signOut(): void {
    this.busy.set(true);
    void this.sessionEnd.signOut();
  }
}
