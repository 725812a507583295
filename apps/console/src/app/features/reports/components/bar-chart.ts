import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { TranslocoPipe } from '@jsverse/transloco';
import { LanguageService } from '../../../core/i18n/language.service';
import type { ReportValueFormat } from '../data/report-format';
import type { ReportLabel } from '../data/report-labels';
import { MonthPipe, QuarterPipe } from './month.pipe';
import { ReportValuePipe } from './report-value.pipe';

/** One bar: its name and its published value (null when not published). */
export interface ChartBar {
  readonly id: string;
  readonly label: ReportLabel;
  readonly value: number | null;
}

/** A laid-out bar: where it sits and how wide it is (percent of the chart's width). */
interface PlacedBar extends ChartBar {
  readonly labelY: number;
  readonly barY: number;
  readonly valueY: number;
  readonly width: number;
}

/** Each bar's row: its name on one line, the bar below it. */
export const ROW_HEIGHT = 48;
export const BAR_HEIGHT = 20;
const LABEL_BASELINE = 14;
const BAR_TOP = 20;
const VALUE_BASELINE = 35;

/** The longest bar, as percent of the width: the rest is left for the value at the right. */
export const MAX_BAR_PERCENT = 78;

/**
 * A horizontal bar chart without a chart library: SVG drawn from attributes only (no inline
 * styles, which the CSP forbids). Each bar's name sits on its own line above the bar, so long
 * names fit on a 360 px phone; widths are percentages, so the chart follows its container and
 * the text keeps its size. A value that is not published has no bar at all, only the marker
 * ("n/p"): it may be small or large (hidden so that a small number elsewhere cannot be worked
 * out), so no length would be true.
 *
 * For screen readers the chart is one image with a label; the table beside it has the figures.
 */
@Component({
  selector: 'app-bar-chart',
  imports: [MonthPipe, QuarterPipe, ReportValuePipe, TranslocoPipe],
  templateUrl: './bar-chart.html',
  styleUrl: './bar-chart.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BarChart {
  readonly bars = input.required<readonly ChartBar[]>();
  readonly format = input<ReportValueFormat>('count');
  /** What the chart shows, for screen readers (already translated). */
  readonly label = input.required<string>();

  protected readonly language = inject(LanguageService).active;
  protected readonly barHeight = BAR_HEIGHT;

  /** The scale's top: the largest published value. */
  private readonly scale = computed(() =>
    Math.max(0, ...this.bars().flatMap((bar) => (bar.value === null ? [] : [bar.value]))),
  );

  protected readonly placed = computed<readonly PlacedBar[]>(() => {
    const scale = this.scale();
    return this.bars().map((bar, index) => {
      const top = index * ROW_HEIGHT;
      const width = bar.value === null || scale === 0 ? 0 : (bar.value / scale) * MAX_BAR_PERCENT;
      return {
        ...bar,
        labelY: top + LABEL_BASELINE,
        barY: top + BAR_TOP,
        valueY: top + VALUE_BASELINE,
        width,
      };
    });
  });

  protected readonly height = computed(() => Math.max(1, this.bars().length) * ROW_HEIGHT);
}
