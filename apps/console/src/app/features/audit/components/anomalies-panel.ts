import { ChangeDetectionStrategy, Component, computed, inject, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { AuditAnomaly } from '@harbour/domain';
import { TranslocoPipe } from '@jsverse/transloco';
import { DateTimePipe } from '../../../core/i18n/date-time.pipe';
import { LanguageService } from '../../../core/i18n/language.service';
import { NumberPipe } from '../../../core/i18n/number.pipe';
import { FormError } from '../../../core/ui/form-error';
import { ANOMALY_HINT_KEYS, ANOMALY_LABEL_KEYS } from '../data/audit-labels';
import type { AnomaliesState } from '../data/audit.store';

/**
 * Patterns in the log worth a look (computed by the API from the log on request): many reveals
 * in an hour, access out of hours, canary records opened, repeated denials, id sweeps. "Show
 * events" narrows the list to the anomaly's actor and time range.
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
  readonly show = output<AuditAnomaly>();

  protected readonly language = inject(LanguageService).active;
  protected readonly labels = ANOMALY_LABEL_KEYS;
  protected readonly hints = ANOMALY_HINT_KEYS;
  protected readonly anomalies = computed(() => {
    const state = this.state();
    return state.kind === 'ready' ? state.anomalies : null;
  });
  protected readonly failure = computed(() => {
    const state = this.state();
    return state.kind === 'error' ? state.error : null;
  });
}
