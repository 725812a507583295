import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { TranslocoPipe } from '@jsverse/transloco';
import { LanguageService } from '../../../core/i18n/language.service';
import type { ReportValueFormat } from '../data/report-format';
import { ReportValuePipe } from './report-value.pipe';

/**
 * One published number, or the not-published marker ("n/p") where the report has none: fewer
 * than k people, or hidden so that a small number cannot be worked out from the others. Such a
 * figure can be large, so the marker names no value and no bound; screen readers hear "not
 * published", and the report's legend says what it means.
 */
@Component({
  selector: 'app-report-value',
  imports: [ReportValuePipe, TranslocoPipe],
  template: `
    @let published = value();
    @if (published === null) {
      <span class="not-published" data-testid="not-published"
        ><span aria-hidden="true">{{ 'reports.notPublished.marker' | transloco }}</span
        ><span class="visually-hidden">{{ 'reports.notPublished.label' | transloco }}</span></span
      >
    } @else {
      {{ published | appReportValue: format() : language().code }}
    }
  `,
  styles: `
    .not-published {
      color: var(--mat-sys-on-surface-variant);
      font-style: italic;
      white-space: nowrap;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ReportValue {
  readonly value = input.required<number | null>();
  readonly format = input<ReportValueFormat>('count');

  protected readonly language = inject(LanguageService).active;
}
