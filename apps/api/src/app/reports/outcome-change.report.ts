import { Injectable } from '@nestjs/common';
import {
  EXTERNAL_TIER,
  OUTCOME_DOMAINS,
  protectRate,
  type DisclosureTier,
  type OutcomeChangeReport,
  type ReportCount,
} from '@harbour/domain';
import type { TenantScope } from '../../core/scope/request-scope';
import { addedUp, besideEachOther, quarterColumns } from './report-publication';
import { ReportsService, type ReportRequest } from './reports.service';

/**
 * Change over time per domain (`OutcomeChangeReport`): follow-up ratings of outcome check-ins by
 * domain, improved / same / worsened and month, read from the closed quarters' stored
 * publications (family `checkIns`) like every count report — protected once per quarter, a year
 * its quarters added up, the external tier coarsened from the internal one (docs/adr/0007).
 */
@Injectable()
export class OutcomeChangeReports {
  constructor(private readonly reports: ReportsService) {}

  async build(scope: TenantScope, request: ReportRequest): Promise<OutcomeChangeReport> {
    const { meta, slices } = await this.reports.quarterly(scope, 'checkIns', request);
    const byChange = addedUp(
      slices.map((s) => s['byChange']!),
      OUTCOME_DOMAINS,
    );
    const tier: DisclosureTier =
      request.tier === 'external' ? EXTERNAL_TIER : { name: 'internal', k: meta.k, roundTo: null };
    const cell = (row: number, change: string): ReportCount =>
      row === -1 ? 0 : byChange.cells[row]![byChange.columns.indexOf(change)]!;
    return {
      meta,
      byChange,
      byMonth: besideEachOther(
        slices.map((s) => s['byMonth']!),
        OUTCOME_DOMAINS,
      ),
      byQuarter: quarterColumns(
        slices.map((s) => s['byMonth']!),
        request.quarters,
        OUTCOME_DOMAINS,
      ),
      shares: OUTCOME_DOMAINS.map((domain) => {
        const row = byChange.rows.indexOf(domain);
        const all = row === -1 ? 0 : byChange.rowTotals[row]!;
        return {
          domain,
          improved: share(cell(row, 'improved'), all, tier),
          worsened: share(cell(row, 'worsened'), all, tier),
        };
      }),
    };
  }
}

/** A share from two published counts (`protectRate`), null when hidden. */
function share(part: ReportCount, all: ReportCount, tier: DisclosureTier): number | null {
  const published = protectRate(
    part === null ? { suppressed: true } : { suppressed: false, value: part },
    all === null ? { suppressed: true } : { suppressed: false, value: all },
    tier,
  );
  return published.suppressed ? null : Math.round(published.value * 1000) / 1000;
}
