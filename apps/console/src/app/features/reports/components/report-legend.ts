import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import type { ReportMeta } from '@harbour/domain';
import { TranslocoPipe } from '@jsverse/transloco';
import { LanguageService } from '../../../core/i18n/language.service';
import { NumberPipe } from '../../../core/i18n/number.pipe';
import { formatPublishedAt, quarterText } from '../data/report-format';

/**
 * What a report's not-published marker means, whether its counts are rounded, and when each of
 * its quarters' figures were fixed (they never change after that).
 */
@Component({
  selector: 'app-report-legend',
  imports: [NumberPipe, TranslocoPipe],
  template: `
    @let threshold = meta().k | appNumber: language().code;
    <p class="legend" data-testid="not-published-legend">
      <span class="marker" aria-hidden="true">{{ markerKey() | transloco: { k: threshold } }}</span>
      <span>{{ explanationKey() | transloco: { k: threshold } }}</span>
    </p>
    @if (meta().roundedTo; as step) {
      <p class="legend" data-testid="rounding-legend">
        {{
          'reports.notPublished.rounded' | transloco: { step: step | appNumber: language().code }
        }}
      </p>
    }
    @if (published().length > 0) {
      <p class="legend" data-testid="published-quarters">
        {{ 'reports.published.intro' | transloco }}
        @for (quarter of published(); track quarter.id; let last = $last) {
          <span class="published"
            >{{ 'reports.published.quarter' | transloco: quarter.params
            }}{{ last ? '' : '; ' }}</span
          >
        }
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
      font-style: italic;
      font-weight: 500;
      white-space: nowrap;
    }
    .published {
      white-space: nowrap;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ReportLegend {
  readonly meta = input.required<ReportMeta>();
  /** The explanation; time to outcome explains its marker as too few closed referrals. */
  readonly explanationKey = input('reports.notPublished.legend');
  /** How figures that are not published read in this report, with `{{ k }}`. */
  readonly markerKey = input('reports.notPublished.marker');

  protected readonly language = inject(LanguageService).active;
  /** Each quarter with when it was published, in the active language. */
  protected readonly published = computed(() => {
    const language = this.language().code;
    return this.meta().quarters.map((quarter) => {
      const name = quarterText(quarter.quarter, language);
      return {
        id: quarter.quarter,
        name,
        params: { ...name.params, date: formatPublishedAt(quarter.publishedAt, language) },
      };
    });
  });
}
