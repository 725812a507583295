import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { TranslocoPipe } from '@jsverse/transloco';
import { LanguageService } from '../../../core/i18n/language.service';
import type { ReportLabel } from '../data/report-labels';
import { MonthPipe, QuarterPipe } from './month.pipe';

/** A row, column or filter value's name, in the active language. */
@Component({
  selector: 'app-report-label',
  imports: [MonthPipe, QuarterPipe, TranslocoPipe],
  template: `
    @let value = label();
    @switch (value.kind) {
      @case ('key') {
        {{ value.key | transloco }}
      }
      @case ('month') {
        {{ value.month | appMonth: language().code : monthStyle() }}
      }
      @case ('quarter') {
        @let quarter = value.quarter | appQuarter: language().code;
        {{ quarter.key | transloco: quarter.params }}
      }
      @case ('text') {
        {{ value.text }}
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ReportLabelText {
  readonly label = input.required<ReportLabel>();
  readonly monthStyle = input<'short' | 'long'>('short');

  protected readonly language = inject(LanguageService).active;
}
