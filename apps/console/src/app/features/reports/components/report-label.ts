import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { TranslocoPipe } from '@jsverse/transloco';
import { LanguageService } from '../../../core/i18n/language.service';
import { MonthPipe } from './month.pipe';
import type { ReportLabel } from '../data/report-labels';

/** A row, column or filter value's name, in the active language. */
@Component({
  selector: 'app-report-label',
  imports: [MonthPipe, TranslocoPipe],
  template: `
    @let value = label();
    @switch (value.kind) {
      @case ('key') {
        {{ value.key | transloco }}
      }
      @case ('month') {
        {{ value.month | appMonth: language().code : monthStyle() }}
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
