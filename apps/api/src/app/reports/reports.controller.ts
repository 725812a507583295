import { Controller, Get, Query } from '@nestjs/common';
import type {
  ContactsReport,
  DisclosuresReport,
  FunnelReport,
  NeedsReport,
  OutcomeChangeReport,
  ReferralsReport,
  ReportName,
  TimeToOutcomeReport,
} from '@harbour/domain';
import { Audit } from '../../infra/audit/audit-writer';
import { RequirePermission, RequireStepUp } from '../../infra/auth/access';
import { assertRecentStepUp } from '../../infra/auth/step-up';
import { Clock } from '../../infra/time/clock';
import {
  Scope,
  signedIn,
  type RequestScope,
  type SignedInScope,
} from '../../core/scope/request-scope';
import { ReportQueryDto } from './dto/reports.dto';
import { ReportsService, type ReportRequest } from './reports.service';
import { DisclosuresReports } from './disclosures.report';
import { OutcomeChangeReports } from './outcome-change.report';

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
    private readonly outcomeChange: OutcomeChangeReports,
    private readonly disclosures: DisclosuresReports,
  ) {}

  @Get('needs')
  @Audit('report.viewed', { resourceType: 'report' })
  @RequirePermission('reports:read')
  needs(@Scope() scope: RequestScope, @Query() q: ReportQueryDto): Promise<NeedsReport> {
    return this.run(scope, 'needs', q, (s, r) => this.reports.needs(s, r));
  }

  @Get('needs/export')
  @Audit('report.exported', { resourceType: 'report' })
  @RequirePermission('reports:export')
  @RequireStepUp()
  exportNeeds(@Scope() scope: RequestScope, @Query() q: ReportQueryDto): Promise<NeedsReport> {
    return this.run(scope, 'needs', q, (s, r) => this.reports.needs(s, r));
  }

  @Get('referrals')
  @Audit('report.viewed', { resourceType: 'report' })
  @RequirePermission('reports:read')
  referrals(@Scope() scope: RequestScope, @Query() q: ReportQueryDto): Promise<ReferralsReport> {
    return this.run(scope, 'referrals', q, (s, r) => this.reports.referrals(s, r));
  }

  @Get('referrals/export')
  @Audit('report.exported', { resourceType: 'report' })
  @RequirePermission('reports:export')
  @RequireStepUp()
  exportReferrals(
    @Scope() scope: RequestScope,
    @Query() q: ReportQueryDto,
  ): Promise<ReferralsReport> {
    return this.run(scope, 'referrals', q, (s, r) => this.reports.referrals(s, r));
  }

  @Get('funnel')
  @Audit('report.viewed', { resourceType: 'report' })
  @RequirePermission('reports:read')
  funnel(@Scope() scope: RequestScope, @Query() q: ReportQueryDto): Promise<FunnelReport> {
    return this.run(scope, 'funnel', q, (s, r) => this.reports.funnel(s, r));
  }

  @Get('funnel/export')
  @Audit('report.exported', { resourceType: 'report' })
  @RequirePermission('reports:export')
  @RequireStepUp()
  exportFunnel(@Scope() scope: RequestScope, @Query() q: ReportQueryDto): Promise<FunnelReport> {
    return this.run(scope, 'funnel', q, (s, r) => this.reports.funnel(s, r));
  }

  @Get('time-to-outcome')
  @Audit('report.viewed', { resourceType: 'report' })
  @RequirePermission('reports:read')
  timeToOutcome(
    @Scope() scope: RequestScope,
    @Query() q: ReportQueryDto,
  ): Promise<TimeToOutcomeReport> {
    return this.run(scope, 'time-to-outcome', q, (s, r) => this.reports.timeToOutcome(s, r));
  }

  @Get('time-to-outcome/export')
  @Audit('report.exported', { resourceType: 'report' })
  @RequirePermission('reports:export')
  @RequireStepUp()
  exportTimeToOutcome(
    @Scope() scope: RequestScope,
    @Query() q: ReportQueryDto,
  ): Promise<TimeToOutcomeReport> {
    return this.run(scope, 'time-to-outcome', q, (s, r) => this.reports.timeToOutcome(s, r));
  }

  @Get('contacts')
  @Audit('report.viewed', { resourceType: 'report' })
  @RequirePermission('reports:read')
  contacts(@Scope() scope: RequestScope, @Query() q: ReportQueryDto): Promise<ContactsReport> {
    return this.run(scope, 'contacts', q, (s, r) => this.reports.contacts(s, r));
  }

  @Get('contacts/export')
  @Audit('report.exported', { resourceType: 'report' })
  @RequirePermission('reports:export')
  @RequireStepUp()
  exportContacts(
    @Scope() scope: RequestScope,
    @Query() q: ReportQueryDto,
  ): Promise<ContactsReport> {
    return this.run(scope, 'contacts', q, (s, r) => this.reports.contacts(s, r));
  }

  @Get('outcome-change')
  @Audit('report.viewed', { resourceType: 'report' })
  @RequirePermission('reports:read')
  outcomeChangeReport(
    @Scope() scope: RequestScope,
    @Query() q: ReportQueryDto,
  ): Promise<OutcomeChangeReport> {
    return this.run(scope, 'outcome-change', q, (s, r) => this.outcomeChange.build(s, r));
  }

  @Get('outcome-change/export')
  @Audit('report.exported', { resourceType: 'report' })
  @RequirePermission('reports:export')
  @RequireStepUp()
  exportOutcomeChange(
    @Scope() scope: RequestScope,
    @Query() q: ReportQueryDto,
  ): Promise<OutcomeChangeReport> {
    return this.run(scope, 'outcome-change', q, (s, r) => this.outcomeChange.build(s, r));
  }

  @Get('disclosures')
  @Audit('report.viewed', { resourceType: 'report' })
  @RequirePermission('reports:read')
  disclosuresReport(
    @Scope() scope: RequestScope,
    @Query() q: ReportQueryDto,
  ): Promise<DisclosuresReport> {
    return this.run(scope, 'disclosures', q, (s, r) => this.disclosures.build(s, r));
  }

  @Get('disclosures/export')
  @Audit('report.exported', { resourceType: 'report' })
  @RequirePermission('reports:export')
  @RequireStepUp()
  exportDisclosures(
    @Scope() scope: RequestScope,
    @Query() q: ReportQueryDto,
  ): Promise<DisclosuresReport> {
    return this.run(scope, 'disclosures', q, (s, r) => this.disclosures.build(s, r));
  }

  /** Step-up for the external tier, the request checked, and what was asked for noted. */
  private async run<T>(
    requestScope: RequestScope,
    name: ReportName,
    query: ReportQueryDto,
    build: (scope: SignedInScope, request: ReportRequest) => Promise<T>,
  ): Promise<T> {
    const scope = signedIn(requestScope);
    if (query.tier === 'external') assertRecentStepUp(scope.principal, this.clock.now());
    const request = await this.reports.request(scope, name, query);
    scope.note({
      fields: [
        `report:${name}`,
        `period:${request.period}`,
        `tier:${request.tier}`,
        ...(request.filter === null ? [] : [`filter:${request.filter.attribute}`]),
      ],
    });
    return build(scope, request);
  }
}
