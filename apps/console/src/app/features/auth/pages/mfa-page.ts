import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  inject,
  input,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { MfaVerifyRequest } from '@harbour/domain';
import { TranslocoPipe } from '@jsverse/transloco';
import { AuthApi } from '../../../core/auth/auth.api';
import { normaliseTotp, totpValidator } from '../../../core/auth/otp';
import type { AppError } from '../../../core/http/app-error';
import { appErrorOf } from '../../../core/http/app-error';
import { Clock } from '../../../core/time/clock';
import { FormError } from '../../../core/ui/form-error';
import { RetryCountdown } from '../data/retry-countdown';
import { SignInFlow } from '../data/sign-in-flow.service';
import { required } from '../../../core/forms/validators';

/** Step 2 of signing in: the six-digit code from the authenticator app, or a recovery code. */
@Component({
  selector: 'app-mfa-page',
  imports: [
    FormError,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    ReactiveFormsModule,
    TranslocoPipe,
  ],
  templateUrl: './mfa-page.html',
  styleUrl: './auth-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MfaPage {
  private readonly destroyRef = inject(DestroyRef);
  readonly returnUrl = input<string>();

  private readonly api = inject(AuthApi);
  private readonly flow = inject(SignInFlow);
  private readonly fb = inject(NonNullableFormBuilder);

  protected readonly useRecoveryCode = signal(false);
  protected readonly codeForm = this.fb.group({
    code: ['', [required, totpValidator]],
  });
  protected readonly recoveryForm = this.fb.group({
    recoveryCode: ['', [required, Validators.maxLength(64)]],
  });
  protected readonly busy = signal(false);
  protected readonly error = signal<AppError | null>(null);
  protected readonly retry = new RetryCountdown(inject(Clock), this.destroyRef);
  protected readonly errorKey = computed(() => {
    const error = this.error();
    if (error?.code === 'rate_limited' && this.retry.waiting()) return 'auth.rateLimitedWait';
    if (error?.code === 'invalid_code' && this.useRecoveryCode()) return 'auth.mfa.recoveryInvalid';
    return null;
  });

  protected toggleRecovery(): void {
    this.useRecoveryCode.update((value) => !value);
    this.error.set(null);
  }

  protected submit(): void {
    if (this.busy() || this.retry.waiting()) return;
    const form = this.useRecoveryCode() ? this.recoveryForm : this.codeForm;
    form.markAllAsTouched();
    if (form.invalid) return;
    const request: MfaVerifyRequest = this.useRecoveryCode()
      ? { recoveryCode: this.recoveryForm.getRawValue().recoveryCode.trim() }
      : { code: normaliseTotp(this.codeForm.getRawValue().code) };
    this.busy.set(true);
    this.error.set(null);
    this.api
      .verifyMfa(request)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: ({ session }) => {
          void this.flow.finish(session, this.returnUrl());
        },
        error: (error: unknown) => {
          const appError = appErrorOf(error);
          if (appError.code === 'unauthenticated') {
            void this.flow.restart(this.returnUrl());
            return;
          }
          if (appError.code === 'lockdown_active') {
            // The right code, but the organisation is in lockdown: only admins sign in.
            void this.flow.lockedOut();
            return;
          }
          this.error.set(appError);
          this.busy.set(false);
          if (appError.code === 'invalid_code') form.reset();
          const wait = appError.details.retryAfterSeconds;
          if (appError.code === 'rate_limited' && wait !== undefined) this.retry.start(wait);
        },
      });
  }
}
