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
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { TranslocoPipe } from '@jsverse/transloco';
import { AuthApi } from '../../../core/auth/auth.api';
import { SessionStore } from '../../../core/auth/session.store';
import type { AppError } from '../../../core/http/app-error';
import { appErrorOf } from '../../../core/http/app-error';
import { Clock } from '../../../core/time/clock';
import { FormError } from '../../../core/ui/form-error';
import { END_REASON_KEYS } from '../data/end-reasons';
import { RetryCountdown } from '../data/retry-countdown';
import { SignInFlow } from '../data/sign-in-flow.service';
import { emailAddress, required } from '../../../core/forms/validators';

/** Step 1 of signing in: email and password. The next step is a code, or setting one up. */
@Component({
  selector: 'app-sign-in-page',
  imports: [
    FormError,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    ReactiveFormsModule,
    TranslocoPipe,
  ],
  templateUrl: './sign-in-page.html',
  styleUrl: './auth-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SignInPage {
  private readonly destroyRef = inject(DestroyRef);
  /** From the query string (component input binding); checked before it is ever followed. */
  readonly returnUrl = input<string>();

  private readonly api = inject(AuthApi);
  private readonly flow = inject(SignInFlow);
  private readonly store = inject(SessionStore);

  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [required, emailAddress, Validators.maxLength(254)]],
    password: ['', required],
  });
  protected readonly hidePassword = signal(true);
  protected readonly busy = signal(false);
  protected readonly error = signal<AppError | null>(null);
  protected readonly retry = new RetryCountdown(inject(Clock), this.destroyRef);

  protected readonly endedKey = computed(() => {
    const reason = this.store.endReason();
    return reason === null ? null : END_REASON_KEYS[reason];
  });
  protected readonly errorKey = computed(() => {
    const error = this.error();
    if (error?.code === 'rate_limited' && this.retry.waiting()) return 'auth.rateLimitedWait';
    // Lockdown, told at the password to someone with no second factor yet (only admins sign in).
    if (error?.code === 'lockdown_active') return 'auth.ended.lockdownSignIn';
    return null;
  });

  protected submit(): void {
    if (this.busy() || this.retry.waiting()) return;
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    const { email, password } = this.form.getRawValue();
    this.busy.set(true);
    this.error.set(null);
    this.api
      .login({ email: email.trim(), password })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: ({ stage }) => {
          void this.flow.toStage(stage, this.returnUrl());
        },
        error: (error: unknown) => {
          const appError = appErrorOf(error);
          this.error.set(appError);
          this.busy.set(false);
          const wait = appError.details.retryAfterSeconds;
          if (appError.code === 'rate_limited' && wait !== undefined) this.retry.start(wait);
        },
      });
  }
}
