import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Metrics } from './metrics';

const DASHBOARD = join(__dirname, '../../../../../docker/grafana/harbour-dashboard.json');
/** Labels Prometheus adds to every scraped series, and the histogram bucket bound. */
const SCRAPE_LABELS = ['instance', 'job', 'le'];

/** Every `expr` (and template query) of the dashboard, wherever it sits. */
function queries(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => queries(n, out));
  else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if ((key === 'expr' || key === 'definition') && typeof value === 'string') out.push(value);
      else queries(value, out);
    }
  }
  return out;
}

/** Exported series names (a histogram's `_bucket`, `_sum`, `_count`) and their label names. */
function exported(): Map<string, readonly string[]> {
  const names = new Map<string, readonly string[]>();
  for (const metric of new Metrics().registry.getMetricsAsArray()) {
    const { name, labelNames = [] } = metric as unknown as { name: string; labelNames?: string[] };
    const type = (metric as unknown as { type: string }).type;
    const series =
      type === 'histogram'
        ? [`${name}_bucket`, `${name}_sum`, `${name}_count`]
        : type === 'summary'
          ? [name, `${name}_sum`, `${name}_count`]
          : [name];
    for (const s of series) names.set(s, labelNames);
  }
  return names;
}

describe('docker/grafana/harbour-dashboard.json', () => {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: unknown[] };
  const exprs = queries(dashboard);
  const metrics = exported();

  it('has panels with queries', () => {
    expect(exprs.length).toBeGreaterThanOrEqual(10);
  });

  it('queries only metrics the API exports, at least one per query', () => {
    const unknown: string[] = [];
    for (const expr of exprs) {
      const used = expr.match(/\bharbour_[a-zA-Z0-9_:]*/g) ?? [];
      if (used.length === 0) unknown.push(`${expr} (no Harbour metric)`);
      for (const name of used) if (!metrics.has(name)) unknown.push(`${expr}: ${name}`);
    }
    expect(unknown).toEqual([]);
  });

  it('groups and filters only by labels those metrics carry', () => {
    const wrong: string[] = [];
    for (const expr of exprs) {
      const used = expr.match(/\bharbour_[a-zA-Z0-9_:]*/g) ?? [];
      const allowed = new Set([...SCRAPE_LABELS, ...used.flatMap((n) => metrics.get(n) ?? [])]);
      const grouped = [...expr.matchAll(/\b(?:by|without)\s*\(([^)]*)\)/g)].flatMap((m) =>
        m[1]!.split(',').map((l) => l.trim()),
      );
      const matched = [...expr.matchAll(/[{,]\s*([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)/g)].map(
        (m) => m[1]!,
      );
      for (const label of [...grouped, ...matched]) {
        if (label !== '' && !allowed.has(label)) wrong.push(`${expr}: ${label}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('exports what docs/operations.md documents', () => {
    const docs = readFileSync(join(__dirname, '../../../../../docs/operations.md'), 'utf8');
    const own = new Metrics({ processMetrics: false }).registry
      .getMetricsAsArray()
      .map((m) => (m as unknown as { name: string }).name);
    expect(own.length).toBeGreaterThanOrEqual(8);
    expect(own.filter((n) => !docs.includes(`\`${n}\``))).toEqual([]);
  });
});
