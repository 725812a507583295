import { ChangeDetectionStrategy, Component, computed, inject, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { AuditAnomaly } from '@harbour/domain';
import { TranslocoPipe } from '@jsverse/transloco';
import { DateTimePipe } from '../../../core/i18n/date-time.pipe';
import { LanguageService } from '../../../core/i18n/language.service';
import { NumberPipe } from '../../../core/i18n/number.pipe';
import type { AppError } from '../../../core/http/app-error';
import { FormError } from '../../../core/ui/form-error';
import { ANOMALY_HINT_KEYS, ANOMALY_LABEL_KEYS } from '../data/audit-labels';
import type { AnomaliesState } from '../data/audit.store';

/**
 * Flags: patterns in the log worth a look (computed by the API from the log on request) — a
 * decoy (canary) record opened, many reveals in an hour, id sweeps, repeated refusals, access
 * out of hours. Open flags come first; "Mark reviewed" records that an auditor has looked (the
 * flag opens again if it grows). "Show events" narrows the list to the flag's actor and time.
 */
@Component({
  selector: 'app-anomalies-panel',
  imports: [
    DateTimePipe,
    FormError,
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
    NumberPipe,
    TranslocoPipe,
  ],
  templateUrl: './anomalies-panel.html',
  styleUrl: './anomalies-panel.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { 'data-testid': 'anomalies', '[attr.data-state]': 'state().kind' },
})
export class AnomaliesPanel {
  readonly state = input.required<AnomaliesState>();
  /** Flag ids whose review is being recorded. */
  readonly reviewing = input<ReadonlySet<string>>(new Set());
  readonly reviewError = input<AppError | null>(null);
  readonly show = output<AuditAnomaly>();
  readonly review = output<AuditAnomaly>();

  protected readonly language = inject(LanguageService).active;
  protected readonly labels = ANOMALY_LABEL_KEYS;
  protected readonly hints = ANOMALY_HINT_KEYS;
  protected readonly anomalies = computed(() => {
    const state = this.state();
    return state.kind === 'ready' ? state.anomalies : null;
  });
  protected readonly openCount = computed(
    () => this.anomalies()?.filter((a) => a.status === 'open').length ?? 0,
  );
  protected readonly failure = computed(() => {
    const state = this.state();
    return state.kind === 'error' ? state.error : null;
  });
}
