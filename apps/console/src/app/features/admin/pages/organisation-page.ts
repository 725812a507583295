import type { OnInit } from '@angular/core';
import {
  ChangeDetectionStrategy,
  Component,
  effect,
  inject,
  signal,
  untracked,
  DestroyRef,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import {
  DEFAULT_SUPPRESSION_K,
  MAX_SUPPRESSION_K,
  STALE_REFERRAL_DAYS_DEFAULT,
  STALE_REFERRAL_DAYS_MAX,
  STALE_REFERRAL_DAYS_MIN,
} from '@harbour/domain';
import { TranslocoPipe } from '@jsverse/transloco';
import type { Observable } from 'rxjs';
import { filter, switchMap } from 'rxjs';
import { SessionEnd } from '../../../core/auth/session-end.service';
import { appErrorOf } from '../../../core/http/app-error';
import { FormError } from '../../../core/ui/form-error';
import { LockdownConfirmDialog } from '../components/lockdown-confirm-dialog';
import { OrganisationStore } from '../data/organisation.store';
import { required, wholeNumber } from '../../../core/forms/validators';

/** The k internal reports may use (the API accepts 2 to 11; exports always use the largest). */
const REPORT_K = { min: 2, max: MAX_SUPPRESSION_K, usual: DEFAULT_SUPPRESSION_K } as const;

/** Days a referral may wait on its partner before Harbour adds a follow-up (empty: never). */
const STALE_DAYS = {
  min: STALE_REFERRAL_DAYS_MIN,
  max: STALE_REFERRAL_DAYS_MAX,
  usual: STALE_REFERRAL_DAYS_DEFAULT,
} as const;

interface Notice {
  readonly key: string;
  readonly kind: 'success' | 'warning';
}

@Component({
  selector: 'app-organisation-page',
  imports: [
    FormError,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    ReactiveFormsModule,
    RouterLink,
    TranslocoPipe,
  ],
  templateUrl: './organisation-page.html',
  styleUrl: './organisation-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OrganisationPage implements OnInit {
  private readonly destroyRef = inject(DestroyRef);
  protected readonly store = inject(OrganisationStore);
  private readonly dialog = inject(MatDialog);
  private readonly sessionEnd = inject(SessionEnd);

  protected readonly reportK = REPORT_K;
  private readonly formBuilder = inject(NonNullableFormBuilder);
  protected readonly form = this.formBuilder.group({
    name: ['', [required, Validators.maxLength(200)]],
  });
  /** Null while the number field is empty. */
  protected readonly reportForm = this.formBuilder.group({
    reportK: this.formBuilder.control<number | null>(REPORT_K.usual, [
      required,
      Validators.min(REPORT_K.min),
      Validators.max(REPORT_K.max),
      wholeNumber,
    ]),
  });
  protected readonly staleDays = STALE_DAYS;
  /** Empty switches automatic follow-ups off. */
  protected readonly staleForm = this.formBuilder.group({
    staleReferralDays: this.formBuilder.control<number | null>(STALE_DAYS.usual, [
      Validators.min(STALE_DAYS.min),
      Validators.max(STALE_DAYS.max),
      wholeNumber,
    ]),
  });
  /** One save at a time: both forms send the version last loaded. */
  protected readonly saving = signal(false);
  protected readonly lockdownBusy = signal(false);
  protected readonly notice = signal<Notice | null>(null);

  constructor() {
    // Show the settings as last loaded (also after a reload that followed a conflict).
    effect(() => {
      const settings = this.store.settings();
      if (settings === null) return;
      // Untracked: resetting reads the forms' own state, which must not re-run this.
      untracked(() => {
        this.form.reset({ name: settings.name });
        this.reportForm.reset({ reportK: settings.reportK });
        this.staleForm.reset({ staleReferralDays: settings.staleReferralDays });
      });
    });
  }

  ngOnInit(): void {
    this.store.load();
  }

  protected save(): void {
    if (this.saving()) return;
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    this.submit(this.store.rename(this.form.getRawValue().name.trim()));
  }

  protected saveReportK(): void {
    if (this.saving()) return;
    this.reportForm.markAllAsTouched();
    const { reportK } = this.reportForm.getRawValue();
    if (this.reportForm.invalid || reportK === null) return;
    this.submit(this.store.setReportK(reportK));
  }

  protected saveStaleReferralDays(): void {
    if (this.saving()) return;
    this.staleForm.markAllAsTouched();
    if (this.staleForm.invalid) return;
    const { staleReferralDays } = this.staleForm.getRawValue();
    this.submit(this.store.setStaleReferralDays(staleReferralDays));
  }

  /** Saves, then says so; a conflict (the settings have been reloaded) is explained. */
  private submit(change: Observable<void>): void {
    this.saving.set(true);
    this.notice.set(null);
    change.pipe(takeUntilDestroyed(this.destroyRef)).subscribe({
      next: () => this.notice.set({ key: 'admin.organisation.notice.saved', kind: 'success' }),
      error: (error: unknown) => {
        this.saving.set(false);
        if (appErrorOf(error).code === 'version_conflict') {
          this.notice.set({ key: 'admin.organisation.notice.conflict', kind: 'warning' });
        }
      },
      complete: () => this.saving.set(false),
    });
  }

  protected startLockdown(): void {
    const name = this.store.settings()?.name ?? '';
    this.notice.set(null);
    this.dialog
      .open<LockdownConfirmDialog, string, boolean>(LockdownConfirmDialog, {
        data: name,
        role: 'alertdialog',
      })
      .afterClosed()
      .pipe(
        filter((confirmed) => confirmed === true),
        switchMap(() => {
          this.lockdownBusy.set(true);
          return this.store.lockdown();
        }),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        // Every session has been revoked, this one too.
        next: () => void this.sessionEnd.endLocally('lockdown'),
        error: () => this.lockdownBusy.set(false),
        complete: () => this.lockdownBusy.set(false),
      });
  }
}
