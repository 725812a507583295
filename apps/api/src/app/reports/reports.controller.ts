import { Controller, Get, Query } from '@nestjs/common';
import type {
  ContactsReport,
  FunnelReport,
  NeedsReport,
  ReferralsReport,
  ReportName,
  TimeToOutcomeReport,
} from '@harbour/domain';
import { noteAudit } from '../../infra/audit/audit-notes';
import { Audit } from '../../infra/audit/audit-writer';
import { RequirePermission, RequireStepUp } from '../../infra/auth/access';
import { CurrentPrincipal } from '../../infra/auth/current-principal';
import type { Principal } from '../../infra/auth/principal';
import { assertRecentStepUp } from '../../infra/auth/step-up';
import { Clock } from '../../infra/time/clock';
import { ReportQueryDto } from './dto/reports.dto';
import { ReportsService, type ReportRequest } from './reports.service';

/**
 * Reports for coordinators (docs/design.md §8, §11) over closed quarters or years, every number
 * protected on the server and fixed when its quarter was first published (docs/adr/0007).
 * `GET /api/reports/<name>` shows a report (`report.viewed`); `GET /api/reports/<name>/export`
 * answers the same figures for a file the console writes with the labels the person sees
 * (`report.exported`, permission `reports:export`, step-up: an export is a copy that leaves the
 * screen). `tier=external` (k = 11, rounded to 5, for reports leaving the organisation) needs
 * step-up too.
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
  needs(@CurrentPrincipal() p: Principal, @Query() q: ReportQueryDto): Promise<NeedsReport> {
    return this.run(p, 'needs', q, (r) => this.reports.needs(p.organisationId, r));
  }

  @Get('needs/export')
  @Audit('report.exported', { resourceType: 'report' })
  @RequirePermission('reports:export')
  @RequireStepUp()
  exportNeeds(@CurrentPrincipal() p: Principal, @Query() q: ReportQueryDto): Promise<NeedsReport> {
    return this.run(p, 'needs', q, (r) => this.reports.needs(p.organisationId, r));
  }

  @Get('referrals')
  @Audit('report.viewed', { resourceType: 'report' })
  @RequirePermission('reports:read')
  referrals(
    @CurrentPrincipal() p: Principal,
    @Query() q: ReportQueryDto,
  ): Promise<ReferralsReport> {
    return this.run(p, 'referrals', q, (r) => this.reports.referrals(p.organisationId, r));
  }

  @Get('referrals/export')
  @Audit('report.exported', { resourceType: 'report' })
  @RequirePermission('reports:export')
  @RequireStepUp()
  exportReferrals(
    @CurrentPrincipal() p: Principal,
    @Query() q: ReportQueryDto,
  ): Promise<ReferralsReport> {
    return this.run(p, 'referrals', q, (r) => this.reports.referrals(p.organisationId, r));
  }

  @Get('funnel')
  @Audit('report.viewed', { resourceType: 'report' })
  @RequirePermission('reports:read')
  funnel(@CurrentPrincipal() p: Principal, @Query() q: ReportQueryDto): Promise<FunnelReport> {
    return this.run(p, 'funnel', q, (r) => this.reports.funnel(p.organisationId, r));
  }

  @Get('funnel/export')
  @Audit('report.exported', { resourceType: 'report' })
  @RequirePermission('reports:export')
  @RequireStepUp()
  exportFunnel(
    @CurrentPrincipal() p: Principal,
    @Query() q: ReportQueryDto,
  ): Promise<FunnelReport> {
    return this.run(p, 'funnel', q, (r) => this.reports.funnel(p.organisationId, r));
  }

  @Get('time-to-outcome')
  @Audit('report.viewed', { resourceType: 'report' })
  @RequirePermission('reports:read')
  timeToOutcome(
    @CurrentPrincipal() p: Principal,
    @Query() q: ReportQueryDto,
  ): Promise<TimeToOutcomeReport> {
    return this.run(p, 'time-to-outcome', q, (r) =>
      this.reports.timeToOutcome(p.organisationId, r),
    );
  }

  @Get('time-to-outcome/export')
  @Audit('report.exported', { resourceType: 'report' })
  @RequirePermission('reports:export')
  @RequireStepUp()
  exportTimeToOutcome(
    @CurrentPrincipal() p: Principal,
    @Query() q: ReportQueryDto,
  ): Promise<TimeToOutcomeReport> {
    return this.run(p, 'time-to-outcome', q, (r) =>
      this.reports.timeToOutcome(p.organisationId, r),
    );
  }

  @Get('contacts')
  @Audit('report.viewed', { resourceType: 'report' })
  @RequirePermission('reports:read')
  contacts(@CurrentPrincipal() p: Principal, @Query() q: ReportQueryDto): Promise<ContactsReport> {
    return this.run(p, 'contacts', q, (r) => this.reports.contacts(p.organisationId, r));
  }

  @Get('contacts/export')
  @Audit('report.exported', { resourceType: 'report' })
  @RequirePermission('reports:export')
  @RequireStepUp()
  exportContacts(
    @CurrentPrincipal() p: Principal,
    @Query() q: ReportQueryDto,
  ): Promise<ContactsReport> {
    return this.run(p, 'contacts', q, (r) => this.reports.contacts(p.organisationId, r));
  }

  /** Step-up for the external tier, the request checked, and what was asked for noted. */
  private async run<T>(
    principal: Principal,
    name: ReportName,
    query: ReportQueryDto,
    build: (request: ReportRequest) => Promise<T>,
  ): Promise<T> {
    if (query.tier === 'external') assertRecentStepUp(principal, this.clock.now());
    const request = await this.reports.request(principal.organisationId, name, query);
    noteAudit({
      fields: [
        `report:${name}`,
        `period:${request.period}`,
        `tier:${request.tier}`,
        ...(request.filter === null ? [] : [`filter:${request.filter.attribute}`]),
      ],
    });
    return build(request);
  }
}
