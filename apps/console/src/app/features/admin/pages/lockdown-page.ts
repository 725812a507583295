import type { OnInit } from '@angular/core';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  signal,
  DestroyRef,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { LOCKDOWN_LIFT_APPROVALS } from '@harbour/domain';
import { TranslocoPipe } from '@jsverse/transloco';
import { SessionStore } from '../../../core/auth/session.store';
import { DateTimePipe } from '../../../core/i18n/date-time.pipe';
import { LanguageService } from '../../../core/i18n/language.service';
import { FormError } from '../../../core/ui/form-error';
import { LOCKDOWN_PROMISE_LINES } from '../data/lockdown-promises';
import { OrganisationStore } from '../data/organisation.store';

/**
 * What an admin sees while the organisation is in lockdown (the console sends every page here):
 * since when, what is switched off (the same promises as the confirmation), who has approved
 * lifting it, and the approval, behind step-up. Only admins who held the role before the
 * lockdown began may approve; the page says so to anyone else.
 */
@Component({
  selector: 'app-lockdown-page',
  imports: [
    DateTimePipe,
    FormError,
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
    RouterLink,
    TranslocoPipe,
  ],
  templateUrl: './lockdown-page.html',
  styleUrl: './organisation-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LockdownPage implements OnInit {
  private readonly destroyRef = inject(DestroyRef);
  protected readonly store = inject(OrganisationStore);
  private readonly session = inject(SessionStore);

  protected readonly language = inject(LanguageService).active;
  protected readonly promises = LOCKDOWN_PROMISE_LINES;
  protected readonly busy = signal(false);
  /** Set once this admin's approval lifted the lockdown, or was recorded as the first. */
  protected readonly lifted = signal(false);
  protected readonly justApproved = signal(false);

  protected readonly lockdown = computed(() => this.store.settings()?.lockdown ?? null);
  protected readonly approvalsNeeded = computed(
    () => this.lockdown()?.approvalsNeeded ?? LOCKDOWN_LIFT_APPROVALS,
  );
  /** Whether the signed-in admin has already approved lifting it. */
  protected readonly approvedByMe = computed(() => {
    const me = this.session.user()?.id;
    return (this.lockdown()?.liftApprovals ?? []).some((approval) => approval.userId === me);
  });

  ngOnInit(): void {
    this.store.load();
  }

  protected approve(): void {
    if (this.busy()) return;
    this.busy.set(true);
    this.store
      .lift()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (outcome) => {
          this.lifted.set(outcome === 'lifted');
          this.justApproved.set(outcome === 'approved');
        },
        error: () => this.busy.set(false),
        complete: () => this.busy.set(false),
      });
  }
}
