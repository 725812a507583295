import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { TranslocoPipe } from '@jsverse/transloco';
import { LanguageService } from '../../../core/i18n/language.service';
import { NumberPipe } from '../../../core/i18n/number.pipe';
import type { ReportValueFormat } from '../data/report-format';
import { ReportValuePipe } from './report-value.pipe';

/**
 * One published number, or "< k" for a suppressed one: fewer than k, or hidden so that a small
 * number cannot be worked out from the others (the hint and the table's legend say so).
 */
@Component({
  selector: 'app-report-value',
  imports: [NumberPipe, ReportValuePipe, TranslocoPipe],
  template: `
    @let published = value();
    @if (published === null) {
      @let threshold = k() | appNumber: language().code;
      <span
        class="suppressed"
        data-testid="suppressed"
        [attr.title]="'reports.suppressed.hint' | transloco: { k: threshold }"
        >{{ 'reports.suppressed.short' | transloco: { k: threshold } }}</span
      >
    } @else {
      {{ published | appReportValue: format() : language().code }}
    }
  `,
  styles: `
    .suppressed {
      padding: 0 4px;
      border: 1px dashed currentColor;
      border-radius: 4px;
      color: var(--mat-sys-on-surface-variant);
      white-space: nowrap;
      cursor: help;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ReportValue {
  readonly value = input.required<number | null>();
  readonly k = input.required<number>();
  readonly format = input<ReportValueFormat>('count');

  protected readonly language = inject(LanguageService).active;
}
