import type { ReportFilterAttribute, ReportName } from '@harbour/domain';

/** What the differencing attacker asks for and gets back (`reports-attacker.medium-spec.ts`). */
export const QUARTERS = ['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4'];
export const YEARS = ['2026'];
/** The demo organisation's k (the internal tier); the external tier's is 11. */
export const K = 5;

export type Tier = 'internal' | 'external';
/** One filter value, or none. */
export type Filter = { attribute: ReportFilterAttribute; value: string } | null;
/** One report asked for, with its answer. */
export interface Asked {
  report: ReportName;
  period: string;
  tier: Tier;
  filter: Filter;
  body: Record<string, unknown>;
}

/** The query string of one report request. */
export const query = (period: string, tier: Tier, filter: Filter) =>
  `period=${period}&tier=${tier}${filter === null ? '' : `&${filter.attribute}=${filter.value}`}`;

const keyOf = (report: ReportName, period: string, tier: Tier, filter: Filter) =>
  `${report} ${period} ${tier} ${filter === null ? '' : `${filter.attribute}=${filter.value}`}`;
const indexes = new WeakMap<readonly Asked[], Map<string, Asked>>();
/** The answer to one request among those asked (a request not asked is a mistake in the test). */
export const find = (
  asked: readonly Asked[],
  report: ReportName,
  period: string,
  tier: Tier,
  filter: Filter,
): Record<string, unknown> => {
  let index = indexes.get(asked);
  if (index === undefined) {
    index = new Map(asked.map((a) => [keyOf(a.report, a.period, a.tier, a.filter), a]));
    indexes.set(asked, index);
  }
  const found = index.get(keyOf(report, period, tier, filter));
  if (found === undefined) throw new Error(`not asked: ${keyOf(report, period, tier, filter)}`);
  return found.body;
};
