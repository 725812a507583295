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
import type { AbstractControl, ValidationErrors } from '@angular/forms';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { Router } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { AuthApi } from '../../../core/auth/auth.api';
import { safeReturnUrl } from '../../../core/auth/return-url';
import { SessionEnd } from '../../../core/auth/session-end.service';
import { SessionStore } from '../../../core/auth/session.store';
import type { AppError } from '../../../core/http/app-error';
import { appErrorOf } from '../../../core/http/app-error';
import { Clock } from '../../../core/time/clock';
import { FormError } from '../../../core/ui/form-error';
import {
  isPasswordRejectionReason,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  PASSWORD_REASON_KEYS,
  passwordLengthValidator,
} from '../data/password-policy';
import { RetryCountdown } from '../data/retry-countdown';
import { required } from '../../../core/forms/validators';

type PasswordField = 'currentPassword' | 'newPassword' | 'confirmPassword';

function matchingPasswords(group: AbstractControl): ValidationErrors | null {
  const value = group.value as Partial<Record<PasswordField, string>>;
  const confirm = value.confirmPassword ?? '';
  return confirm !== '' && confirm !== value.newPassword ? { mismatch: true } : null;
}

/**
 * Change the password: required after signing in with a one-time password (every other page is
 * closed until then), and open to anybody signed in. Shows the policy up front and every reason
 * the API gives for refusing a password.
 */
@Component({
  selector: 'app-change-password-page',
  imports: [
    FormError,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    ReactiveFormsModule,
    TranslocoPipe,
  ],
  templateUrl: './change-password-page.html',
  styleUrl: './auth-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChangePasswordPage {
  private readonly destroyRef = inject(DestroyRef);
  readonly returnUrl = input<string>();

  private readonly api = inject(AuthApi);
  private readonly store = inject(SessionStore);
  private readonly sessionEnd = inject(SessionEnd);
  private readonly router = inject(Router);

  protected readonly minLength = PASSWORD_MIN_LENGTH;
  protected readonly maxLength = PASSWORD_MAX_LENGTH;
  protected readonly mustChange = this.store.mustChangePassword;
  protected readonly form = inject(NonNullableFormBuilder).group(
    {
      currentPassword: ['', required],
      newPassword: ['', [required, passwordLengthValidator]],
      confirmPassword: ['', required],
    },
    { validators: matchingPasswords },
  );
  protected readonly visible = signal<Readonly<Record<PasswordField, boolean>>>({
    currentPassword: false,
    newPassword: false,
    confirmPassword: false,
  });
  protected readonly busy = signal(false);
  protected readonly error = signal<AppError | null>(null);
  /** Translation keys of the reasons the API gave for refusing the new password. */
  protected readonly rejections = signal<readonly string[]>([]);
  protected readonly retry = new RetryCountdown(inject(Clock), this.destroyRef);
  protected readonly errorKey = computed(() => {
    const error = this.error();
    if (error?.code === 'invalid_credentials') return 'auth.changePassword.wrongCurrent';
    if (error?.code === 'rate_limited' && this.retry.waiting()) return 'auth.rateLimitedWait';
    return null;
  });

  protected toggle(field: PasswordField): void {
    this.visible.update((visible) => ({ ...visible, [field]: !visible[field] }));
  }

  protected submit(): void {
    if (this.busy() || this.retry.waiting()) return;
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    const { currentPassword, newPassword } = this.form.getRawValue();
    this.busy.set(true);
    this.error.set(null);
    this.rejections.set([]);
    this.api
      .changePassword({ currentPassword, newPassword })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () => this.continueSignedIn(),
        error: (error: unknown) => this.fail(appErrorOf(error)),
      });
  }

  /** The password is changed: fetch the session again (no longer "must change"), carry on. */
  private continueSignedIn(): void {
    this.api
      .session()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (session) => {
          this.store.signIn(session);
          void this.router.navigateByUrl(safeReturnUrl(this.returnUrl()));
        },
        // The API ended the session along with the old password: sign in with the new one.
        error: () => void this.sessionEnd.endLocally('expired'),
      });
  }

  private fail(error: AppError): void {
    this.busy.set(false);
    if (error.code === 'unauthenticated') {
      void this.sessionEnd.endLocally('expired');
      return;
    }
    if (error.code === 'password_rejected') {
      const reasons = (error.details.fields ?? [])
        .filter((field) => field.path === 'newPassword')
        .map((field) => field.reason);
      const keys = reasons.map((reason) =>
        isPasswordRejectionReason(reason)
          ? PASSWORD_REASON_KEYS[reason]
          : 'errors.password_rejected',
      );
      this.rejections.set(keys.length === 0 ? ['errors.password_rejected'] : [...new Set(keys)]);
      return;
    }
    this.error.set(error);
    const wait = error.details.retryAfterSeconds;
    if (error.code === 'rate_limited' && wait !== undefined) this.retry.start(wait);
  }
}
