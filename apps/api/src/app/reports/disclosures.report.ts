import { Injectable } from '@nestjs/common';
import {
  DISCLOSURE_AUTHORITIES,
  DISCLOSURE_OUTCOMES,
  type DisclosuresReport,
} from '@harbour/domain';
import type { TenantScope } from '../../core/scope/request-scope';
import { addedUp, besideEachOther, quarterColumns } from './report-publication';
import { ReportsService, type ReportRequest } from './reports.service';

/**
 * Disclosure requests (`DisclosuresReport`): how often the organisation was asked, by which
 * authority, and how often it refused or disclosed — read from the closed quarters' stored
 * publications (family `disclosures`) like every count report: protected once per quarter, a
 * year its quarters added up, the external tier coarsened from the internal one (docs/adr/0007).
 */
@Injectable()
export class DisclosuresReports {
  constructor(private readonly reports: ReportsService) {}

  async build(scope: TenantScope, request: ReportRequest): Promise<DisclosuresReport> {
    const { meta, slices } = await this.reports.quarterly(scope, 'disclosures', request);
    const byMonth = slices.map((s) => s['byMonth']!);
    return {
      meta,
      byOutcome: addedUp(
        slices.map((s) => s['byOutcome']!),
        DISCLOSURE_AUTHORITIES,
      ),
      byMonth: besideEachOther(byMonth, DISCLOSURE_OUTCOMES),
      byQuarter: quarterColumns(byMonth, request.quarters, DISCLOSURE_OUTCOMES),
    };
  }
}
