import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { TranslocoPipe } from '@jsverse/transloco';
import { LanguageService } from '../../../core/i18n/language.service';
import { NumberPipe } from '../../../core/i18n/number.pipe';

/** What "< k" means in a report, and whether its counts are rounded. */
@Component({
  selector: 'app-suppression-legend',
  imports: [NumberPipe, TranslocoPipe],
  template: `
    @let threshold = k() | appNumber: language().code;
    <p class="legend" data-testid="suppression-legend">
      <span class="marker" aria-hidden="true">{{ markerKey() | transloco: { k: threshold } }}</span>
      <span>{{ explanationKey() | transloco: { k: threshold } }}</span>
    </p>
    @if (roundedTo(); as step) {
      <p class="legend" data-testid="rounding-legend">
        {{ 'reports.suppressed.rounded' | transloco: { step: step | appNumber: language().code } }}
      </p>
    }
  `,
  styles: `
    .legend {
      display: flex;
      flex-wrap: wrap;
      gap: 4px 8px;
      align-items: baseline;
      margin: 0 0 8px;
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
    }
    .marker {
      padding: 0 4px;
      border: 1px dashed currentColor;
      border-radius: 4px;
      white-space: nowrap;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SuppressionLegend {
  readonly k = input.required<number>();
  readonly roundedTo = input<number | null>(null);
  /** The explanation; time to outcome explains "< k" as too few closed referrals. */
  readonly explanationKey = input('reports.suppressed.legend');
  /** How suppressed numbers read in this report, with `{{ k }}`. */
  readonly markerKey = input('reports.suppressed.short');

  protected readonly language = inject(LanguageService).active;
}
