import type { OnInit } from '@angular/core';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  signal,
  DestroyRef,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import type { MfaConfirmResponse, MfaEnrolment } from '@harbour/domain';
import { TranslocoPipe } from '@jsverse/transloco';
import { AuthApi } from '../../../core/auth/auth.api';
import { normaliseTotp, totpValidator } from '../../../core/auth/otp';
import type { AppError } from '../../../core/http/app-error';
import { appErrorOf } from '../../../core/http/app-error';
import { CopyButton } from '../../../core/ui/copy-button';
import { FormError } from '../../../core/ui/form-error';
import { RecoveryCodes } from '../components/recovery-codes';
import { groupSecret, svgDataUrl } from '../data/enrolment';
import { SignInFlow } from '../data/sign-in-flow.service';
import { required } from '../../../core/forms/validators';

/**
 * First sign-in without a second factor: scan the QR code (or type the secret), confirm with a
 * code, then save the recovery codes, which are shown only this once. The session is taken into
 * use only after the person confirms the codes are saved.
 */
@Component({
  selector: 'app-enrol-page',
  imports: [
    CopyButton,
    FormError,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressSpinnerModule,
    ReactiveFormsModule,
    RecoveryCodes,
    TranslocoPipe,
  ],
  templateUrl: './enrol-page.html',
  styleUrls: ['./auth-page.scss', './enrol-page.scss'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class EnrolPage implements OnInit {
  private readonly destroyRef = inject(DestroyRef);
  readonly returnUrl = input<string>();

  private readonly api = inject(AuthApi);
  private readonly flow = inject(SignInFlow);

  protected readonly enrolment = signal<MfaEnrolment | null>(null);
  protected readonly confirmed = signal<MfaConfirmResponse | null>(null);
  protected readonly loadError = signal<AppError | null>(null);
  protected readonly error = signal<AppError | null>(null);
  protected readonly busy = signal(false);

  protected readonly qrSrc = computed(() => {
    const enrolment = this.enrolment();
    return enrolment === null ? null : svgDataUrl(enrolment.qrSvg);
  });
  protected readonly secret = computed(() => groupSecret(this.enrolment()?.secret ?? ''));
  protected readonly form = inject(NonNullableFormBuilder).group({
    code: ['', [required, totpValidator]],
  });

  ngOnInit(): void {
    this.load();
  }

  protected load(): void {
    this.loadError.set(null);
    this.api
      .enrolMfa()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (enrolment) => this.enrolment.set(enrolment),
        error: (error: unknown) => {
          const appError = appErrorOf(error);
          if (appError.code === 'unauthenticated') void this.flow.restart(this.returnUrl());
          else this.loadError.set(appError);
        },
      });
  }

  protected submit(): void {
    if (this.busy()) return;
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    this.busy.set(true);
    this.error.set(null);
    this.api
      .confirmMfa(normaliseTotp(this.form.getRawValue().code))
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (response) => this.confirmed.set(response),
        error: (error: unknown) => {
          const appError = appErrorOf(error);
          if (appError.code === 'unauthenticated') {
            void this.flow.restart(this.returnUrl());
            return;
          }
          this.error.set(appError);
          this.busy.set(false);
          if (appError.code === 'invalid_code') this.form.reset();
        },
      });
  }

  protected finish(): void {
    const confirmed = this.confirmed();
    if (confirmed !== null) void this.flow.finish(confirmed.session, this.returnUrl());
  }
}
