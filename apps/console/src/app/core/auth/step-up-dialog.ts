import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  signal,
  DestroyRef,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { TranslocoPipe } from '@jsverse/transloco';
import type { AppError } from '../http/app-error';
import { appErrorOf } from '../http/app-error';
import { AuthApi } from './auth.api';
import { normaliseTotp, totpValidator } from './otp';
import { SessionEnd } from './session-end.service';
import { SessionStore } from './session.store';
import { required } from '../forms/validators';

/** Password and a current authenticator code; closes with `true` once the API accepts them. */
@Component({
  selector: 'app-step-up-dialog',
  imports: [
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    ReactiveFormsModule,
    TranslocoPipe,
  ],
  templateUrl: './step-up-dialog.html',
  styleUrl: './step-up-dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { 'data-testid': 'step-up-dialog' },
})
export class StepUpDialog {
  private readonly destroyRef = inject(DestroyRef);
  private readonly ref = inject<MatDialogRef<StepUpDialog, boolean>>(MatDialogRef);
  private readonly api = inject(AuthApi);
  private readonly sessionEnd = inject(SessionEnd);
  private readonly session = inject(SessionStore);

  protected readonly form = inject(NonNullableFormBuilder).group({
    password: ['', required],
    code: ['', [required, totpValidator]],
  });
  protected readonly hidePassword = signal(true);
  protected readonly busy = signal(false);
  protected readonly error = signal<AppError | null>(null);
  /** A wrong password here is about this dialog's password, not an email and password. */
  protected readonly errorKey = computed(() => {
    const error = this.error();
    if (error === null) return null;
    return error.code === 'invalid_credentials' ? 'stepUp.wrongPassword' : `errors.${error.code}`;
  });

  protected submit(): void {
    if (this.busy()) return;
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    const { password, code } = this.form.getRawValue();
    this.busy.set(true);
    this.error.set(null);
    this.api
      .stepUp({ password, code: normaliseTotp(code) })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: ({ stepUpUntil }) => {
          this.session.recordStepUp(stepUpUntil);
          this.ref.close(true);
        },
        error: (error: unknown) => {
          const appError = appErrorOf(error);
          if (appError.code === 'unauthenticated') {
            void this.sessionEnd.endLocally('expired');
            return;
          }
          this.error.set(appError);
          this.busy.set(false);
          if (appError.code === 'invalid_code') this.form.controls.code.reset();
        },
      });
  }

  protected cancel(): void {
    this.ref.close(false);
  }
}
