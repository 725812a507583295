import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { AccessEventView } from '@harbour/domain';
import { TranslocoPipe } from '@jsverse/transloco';
import { ROLE_LABEL_KEYS } from '../../../core/auth/role-labels';
import { auditPurposeLabels } from '../../../core/i18n/domain-labels';
import type { AppError } from '../../../core/http/app-error';
import { appErrorOf } from '../../../core/http/app-error';
import { DateTimePipe } from '../../../core/i18n/date-time.pipe';
import { LanguageService } from '../../../core/i18n/language.service';
import { NumberPipe } from '../../../core/i18n/number.pipe';
import { PluralPipe, type PluralKeys } from '../../../core/i18n/plural.pipe';
import { FormError } from '../../../core/ui/form-error';
import { actionLabelKey, resourceTypeLabelKey } from '../data/audit-labels';
import type { InclusionState } from '../data/audit.store';
import { AuditStore } from '../data/audit.store';
import { OutcomeChip } from './outcome-chip';

type ProofState =
  | { readonly kind: 'loading' }
  | InclusionState
  | { readonly kind: 'error'; readonly error: AppError };

/**
 * Every recorded field of one event, and whether a signed checkpoint covers it: if so, its
 * inclusion proof (fetched on opening, and re-checked in this browser against the root).
 * Needs `AuditStore`: open it with the page's injector.
 */
@Component({
  selector: 'app-event-detail-dialog',
  imports: [
    DateTimePipe,
    FormError,
    MatButtonModule,
    MatDialogModule,
    MatIconModule,
    MatProgressBarModule,
    NumberPipe,
    PluralPipe,
    OutcomeChip,
    TranslocoPipe,
  ],
  templateUrl: './event-detail-dialog.html',
  styleUrl: './event-detail-dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { 'data-testid': 'event-detail' },
})
export class EventDetailDialog {
  protected readonly event = inject<AccessEventView>(MAT_DIALOG_DATA);
  protected readonly language = inject(LanguageService).active;
  protected readonly hashesKeys: PluralKeys = {
    one: 'audit.detail.proof.lengthValue.one',
    other: 'audit.detail.proof.lengthValue.other',
  };
  protected readonly roleLabels = ROLE_LABEL_KEYS;
  protected readonly purposeLabels = auditPurposeLabels;
  protected readonly actionLabel = actionLabelKey;
  protected readonly resourceTypeLabel = resourceTypeLabelKey;

  private readonly state = signal<ProofState>({ kind: 'loading' });
  protected readonly proofState = computed(() => this.state().kind);
  protected readonly included = computed(() => {
    const state = this.state();
    return state.kind === 'included' ? state : null;
  });
  protected readonly notCovered = computed(() => {
    const state = this.state();
    return state.kind === 'notCovered' ? state : null;
  });
  protected readonly failure = computed(() => {
    const state = this.state();
    return state.kind === 'error' ? state.error : null;
  });

  constructor() {
    inject(AuditStore)
      .inclusion(this.event)
      .pipe(takeUntilDestroyed())
      .subscribe({
        next: (state) => this.state.set(state),
        error: (error: unknown) => this.state.set({ kind: 'error', error: appErrorOf(error) }),
      });
  }
}
