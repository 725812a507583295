import { Controller, Get, Headers, Query, Res, StreamableFile } from '@nestjs/common';
import type {
  ContactsReport,
  FunnelReport,
  NeedsReport,
  ReferralsReport,
  ReportMeta,
  ReportName,
  TimeToOutcomeReport,
} from '@harbour/domain';
import type { Response } from 'express';
import { noteAudit } from '../../infra/audit/audit-notes';
import { Audit } from '../../infra/audit/audit-writer';
import { RequirePermission } from '../../infra/auth/access';
import { CurrentPrincipal } from '../../infra/auth/current-principal';
import type { Principal } from '../../infra/auth/principal';
import { assertRecentStepUp } from '../../infra/auth/step-up';
import { DomainError } from '../../infra/http/domain-error';
import { Clock } from '../../infra/time/clock';
import { ReportQueryDto } from './dto/reports.dto';
import { reportCsv } from './report-csv';
import { ReportsService, type ReportRequest } from './reports.service';

/**
 * Reports for coordinators (DESIGN.md §8, §11), every number protected on the server. JSON by
 * default; `Accept: text/csv` exports the same published numbers (permission `reports:export`).
 * `tier=external` (k = 11, rounded to 5, for reports leaving the organisation) needs step-up.
 * Every run is one access event: `report.viewed`, or `report.exported` for CSV.
 */
@Controller('api/reports')
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly clock: Clock,
  ) {}

  @Get('needs')
  @Audit('report.viewed', { resourceType: 'report' })
  @RequirePermission('reports:read')
  needs(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ReportQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<NeedsReport | StreamableFile> {
    return this.run(principal, 'needs', query, accept, res, async (request) => {
      const report = await this.reports.needs(principal.organisationId, request);
      return {
        json: report,
        csv: () => reportCsv(report.meta, { by_month: report.byMonth, by_status: report.byStatus }),
      };
    });
  }

  @Get('referrals')
  @Audit('report.viewed', { resourceType: 'report' })
  @RequirePermission('reports:read')
  referrals(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ReportQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ReferralsReport | StreamableFile> {
    return this.run(principal, 'referrals', query, accept, res, async (request) => {
      const report = await this.reports.referrals(principal.organisationId, request);
      return {
        json: report,
        csv: () =>
          reportCsv(
            report.meta,
            { by_status: report.byStatus, by_month: report.byMonth },
            report.rates.flatMap((r) => [
              ['rates', r.partner, 'acceptance', r.acceptance] as const,
              ['rates', r.partner, 'completion', r.completion] as const,
            ]),
          ),
      };
    });
  }

  @Get('funnel')
  @Audit('report.viewed', { resourceType: 'report' })
  @RequirePermission('reports:read')
  funnel(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ReportQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<FunnelReport | StreamableFile> {
    return this.run(principal, 'funnel', query, accept, res, async (request) => {
      const report = await this.reports.funnel(principal.organisationId, request);
      return { json: report, csv: () => reportCsv(report.meta, { by_month: report.byMonth }) };
    });
  }

  @Get('time-to-outcome')
  @Audit('report.viewed', { resourceType: 'report' })
  @RequirePermission('reports:read')
  timeToOutcome(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ReportQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TimeToOutcomeReport | StreamableFile> {
    return this.run(principal, 'time-to-outcome', query, accept, res, async (request) => {
      const report = await this.reports.timeToOutcome(principal.organisationId, request);
      const rows = (table: string, groups: TimeToOutcomeReport['byCategory']) =>
        groups.flatMap((g) =>
          (['q1', 'median', 'q3'] as const).map(
            (q) => [table, g.group, `${q}_days`, g.days === null ? null : g.days[q]] as const,
          ),
        );
      return {
        json: report,
        csv: () =>
          reportCsv(report.meta, {}, [
            ...rows('by_category', report.byCategory),
            ...rows('by_partner', report.byPartner),
          ]),
      };
    });
  }

  @Get('contacts')
  @Audit('report.viewed', { resourceType: 'report' })
  @RequirePermission('reports:read')
  contacts(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ReportQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ContactsReport | StreamableFile> {
    return this.run(principal, 'contacts', query, accept, res, async (request) => {
      const report = await this.reports.contacts(principal.organisationId, request);
      return {
        json: report,
        csv: () =>
          reportCsv(
            report.meta,
            {
              by_channel: report.byChannel,
              by_location: report.byLocation,
              by_language: report.byLanguage,
            },
            report.byCircumstance.map(
              (c) => ['by_circumstance', c.circumstance, 'people', c.people] as const,
            ),
          ),
      };
    });
  }

  private async run<T extends { meta: ReportMeta }>(
    principal: Principal,
    name: ReportName,
    query: ReportQueryDto,
    accept: string | undefined,
    res: Response,
    build: (request: ReportRequest) => Promise<{ json: T; csv: () => string }>,
  ): Promise<T | StreamableFile> {
    const csv = (accept ?? '').toLowerCase().includes('text/csv');
    if (csv) noteAudit({ action: 'report.exported' });
    if (csv && !principal.permissions.has('reports:export')) {
      throw new DomainError('forbidden', 'Not allowed.');
    }
    if (query.tier === 'external') assertRecentStepUp(principal, this.clock.now());
    const request = await this.reports.request(principal.organisationId, name, query);
    noteAudit({
      fields: [
        `report:${name}`,
        `tier:${request.tier.name}`,
        ...(request.filter === null ? [] : [`filter:${request.filter.attribute}`]),
      ],
    });
    const { json, csv: toCsv } = await build(request);
    if (!csv) return json;
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="harbour-${name}-${request.months[0]}-${request.months.at(-1)}-${request.tier.name}.csv"`,
    );
    return new StreamableFile(Buffer.from(toCsv(), 'utf8'));
  }
}
