import type { Registry } from 'prom-client';

/** One labelled series: cumulative counts are computed at scrape time, not per observation. */
export class HistogramSeries {
  private readonly counts: Float64Array;
  private sum = 0;
  private count = 0;

  constructor(
    readonly labels: Readonly<Record<string, string>>,
    private readonly bounds: readonly number[],
  ) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    if (!Number.isFinite(value)) return;
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    this.counts[i]! += 1;
    this.sum += value;
    this.count += 1;
  }

  /** Prometheus samples of this series (`_bucket` per bound and `+Inf`, `_sum`, `_count`). */
  samples(
    name: string,
  ): { metricName: string; labels: Record<string, string | number>; value: number }[] {
    const out: { metricName: string; labels: Record<string, string | number>; value: number }[] =
      [];
    let cumulative = 0;
    for (let i = 0; i < this.bounds.length; i++) {
      cumulative += this.counts[i]!;
      out.push({
        metricName: `${name}_bucket`,
        labels: { ...this.labels, le: this.bounds[i]! },
        value: cumulative,
      });
    }
    cumulative += this.counts[this.bounds.length]!;
    out.push({
      metricName: `${name}_bucket`,
      labels: { ...this.labels, le: '+Inf' },
      value: cumulative,
    });
    out.push({ metricName: `${name}_sum`, labels: { ...this.labels }, value: this.sum });
    out.push({ metricName: `${name}_count`, labels: { ...this.labels }, value: this.count });
    return out;
  }
}

/**
 * A Prometheus histogram with the per-observation cost of a bucket search and three additions.
 * prom-client's own `Histogram` hashes the labels and turns the bucket bound into a string key
 * on every observation (microseconds each); this one is observed through series held by the
 * caller, and exposes the same samples through the registry (`get()`).
 */
export class LeanHistogram<L extends string> {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly series = new Map<string, HistogramSeries>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly L[],
    private readonly bounds: readonly number[],
    registry: Registry,
  ) {
    registry.registerMetric(this as never);
  }

  /** The series of `labels` (created on first use); keep it to observe without a lookup. */
  labels(labels: Readonly<Record<L, string>>): HistogramSeries {
    const key = this.labelNames.map((n) => labels[n]).join('\u0000');
    let series = this.series.get(key);
    if (series === undefined) {
      series = new HistogramSeries(labels, this.bounds);
      this.series.set(key, series);
    }
    return series;
  }

  get(): {
    name: string;
    help: string;
    type: 'histogram';
    aggregator: 'sum';
    values: ReturnType<HistogramSeries['samples']>;
  } {
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values: [...this.series.values()].flatMap((s) => s.samples(this.name)),
    };
  }

  reset(): void {
    this.series.clear();
  }
}
