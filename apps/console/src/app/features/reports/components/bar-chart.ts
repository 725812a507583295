import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { TranslocoPipe } from '@jsverse/transloco';
import { LanguageService } from '../../../core/i18n/language.service';
import { NumberPipe } from '../../../core/i18n/number.pipe';
import type { ReportValueFormat } from '../data/report-format';
import type { ReportLabel } from '../data/report-labels';
import { MonthPipe } from './month.pipe';
import { ReportValuePipe } from './report-value.pipe';

/** One bar: its name and its published value (null when suppressed). */
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
/** A suppressed value's stub is never narrower than this (percent), so that it can be seen. */
export const MIN_STUB_PERCENT = 2;
/** A suppressed value's stub when k is not on the chart's scale (days, not counts). */
export const FIXED_STUB_PERCENT = 6;

let nextChartId = 0;

/**
 * A horizontal bar chart without a chart library: SVG drawn from attributes only (no inline
 * styles, which the CSP forbids). Each bar's name sits on its own line above the bar, so long
 * names fit on a 360 px phone; widths are percentages, so the chart follows its container and
 * the text keeps its size. A suppressed value is a hatched, outlined stub as long as k on the
 * chart's scale, labelled "< k": its real value is somewhere below that.
 *
 * For screen readers the chart is one image with a label; the table beside it has the figures.
 */
@Component({
  selector: 'app-bar-chart',
  imports: [MonthPipe, NumberPipe, ReportValuePipe, TranslocoPipe],
  templateUrl: './bar-chart.html',
  styleUrl: './bar-chart.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BarChart {
  readonly bars = input.required<readonly ChartBar[]>();
  /** Suppressed values are below this (the report's `meta.k`). */
  readonly k = input.required<number>();
  readonly format = input<ReportValueFormat>('count');
  /** What the chart shows, for screen readers (already translated). */
  readonly label = input.required<string>();
  /**
   * Whether k is on the chart's scale (counts): a stub then reaches k. Otherwise (days) "< k"
   * counts something else, and the stub has a fixed length.
   */
  readonly stubAtK = input(true);
  /** The suppressed values' text, with `{{ k }}`. */
  readonly suppressedKey = input('reports.suppressed.short');

  protected readonly language = inject(LanguageService).active;
  protected readonly hatchId = `app-bar-chart-hatch-${nextChartId++}`;
  protected readonly hatchFill = `url(#${this.hatchId})`;
  protected readonly barHeight = BAR_HEIGHT;

  /** The scale's top: the largest value, or k when every value is smaller (or suppressed). */
  private readonly scale = computed(() => {
    const values = this.bars().flatMap((bar) => (bar.value === null ? [] : [bar.value]));
    const largest = Math.max(0, ...values);
    const anySuppressed = this.bars().some((bar) => bar.value === null);
    return Math.max(largest, anySuppressed && this.stubAtK() ? this.k() : 0);
  });

  protected readonly placed = computed<readonly PlacedBar[]>(() => {
    const scale = this.scale();
    const stubAtK = this.stubAtK();
    const percentOf = (value: number): number =>
      scale === 0 ? 0 : (value / scale) * MAX_BAR_PERCENT;
    return this.bars().map((bar, index) => {
      const top = index * ROW_HEIGHT;
      let width: number;
      if (bar.value !== null) width = percentOf(bar.value);
      else if (stubAtK) width = Math.max(percentOf(this.k()), MIN_STUB_PERCENT);
      else width = FIXED_STUB_PERCENT;
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
