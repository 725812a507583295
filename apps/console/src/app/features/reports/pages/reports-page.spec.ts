import { provideHttpClient, withInterceptors } from '@angular/common/http';
import type { TestRequest } from '@angular/common/http/testing';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import type { ComponentFixture } from '@angular/core/testing';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import type { Permission } from '@harbour/domain';
import { TranslocoService } from '@jsverse/transloco';
import { byTestId, maybeByTestId, settle } from '../../../../testing/dom';
import { FakeSnackBar } from '../../../../testing/fake-snack-bar';
import { provideTranslocoTesting } from '../../../../testing/i18n';
import { provideNoAnimations } from '../../../../testing/material';
import {
  contactsReport,
  funnelReport,
  LEGAL_AID_ID,
  needsReport,
  disclosuresReport,
  outcomeChangeReport,
  referralsReport,
  SAFE_HOUSE_ID,
  timeToOutcomeReport,
} from '../../../../testing/reports';
import { apiError, sessionInfo } from '../../../../testing/session';
import { SessionStore } from '../../../core/auth/session.store';
import { errorInterceptor } from '../../../core/http/error.interceptor';
import { provideAppIcons } from '../../../core/icons/icons';
import { Clock } from '../../../core/time/clock';
import { FileDownload } from '../../../core/ui/file-download';
import type { ReportView } from '../data/report-filters';
import { ReportsStore } from '../data/reports.store';
import { ReportsPage } from './reports-page';

/** 15 August 2026, in UTC: 2026-Q1 and Q2 have closed, Q3 has not. */
const NOW = Date.UTC(2026, 7, 15, 10, 0, 0);

class FakeFileDownload {
  readonly saved: { content: string; fileName: string; type: string }[] = [];

  save(content: string, fileName: string, type: string): void {
    this.saved.push({ content, fileName, type });
  }
}

function text(testId: string): string {
  return byTestId(testId).textContent.replace(/\s+/g, ' ').trim();
}

describe('ReportsPage', () => {
  let fixture: ComponentFixture<ReportsPage>;
  let backend: HttpTestingController;
  let downloads: FakeFileDownload;

  async function setUp(permissions?: readonly Permission[]): Promise<void> {
    downloads = new FakeFileDownload();
    TestBed.configureTestingModule({
      imports: [ReportsPage],
      providers: [
        provideHttpClient(withInterceptors([errorInterceptor])),
        provideHttpClientTesting(),
        provideTranslocoTesting(),
        provideNoAnimations(),
        provideAppIcons(),
        ReportsStore,
        { provide: MatSnackBar, useValue: new FakeSnackBar() },
        { provide: FileDownload, useValue: downloads },
        { provide: Clock, useValue: { now: () => NOW, setTimeout: () => () => undefined } },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    const session = sessionInfo({ roles: ['coordinator'], now: NOW });
    TestBed.inject(SessionStore).signIn(
      permissions === undefined ? session : { ...session, permissions: [...permissions] },
    );
    fixture = TestBed.createComponent(ReportsPage);
    await fixture.whenStable();
  }

  afterEach(() => {
    backend.verify();
  });

  async function stable(): Promise<void> {
    await settle();
    await fixture.whenStable();
    await settle();
  }

  function expectReport(view: ReportView): TestRequest {
    return backend.expectOne((request) => request.url === `/api/reports/${view}`);
  }

  /** Every report request sent so far. */
  function reportRequests(): TestRequest[] {
    return backend.match((request) => request.url.startsWith('/api/reports/'));
  }

  /**
   * Answers the partner list and the reports of the year so far (2026: time to outcome waits
   * for a quarter to be chosen).
   */
  async function load(): Promise<void> {
    backend
      .expectOne((request) => request.url === '/api/partners')
      .flush([
        { id: SAFE_HOUSE_ID, name: 'Safe House' },
        { id: LEGAL_AID_ID, name: 'Legal Aid Centre' },
      ]);
    expectReport('needs').flush(needsReport());
    expectReport('referrals').flush(referralsReport());
    expectReport('funnel').flush(funnelReport());
    backend.expectNone('/api/reports/time-to-outcome');
    expectReport('contacts').flush(contactsReport());
    expectReport('outcome-change').flush(outcomeChangeReport());
    expectReport('disclosures').flush(disclosuresReport());
    await stable();
  }

  function options(testId: string): string[] {
    return [...byTestId<HTMLSelectElement>(testId).options].map((option) =>
      option.textContent.trim(),
    );
  }

  function choose(testId: string, value: string): void {
    const select = byTestId<HTMLSelectElement>(testId);
    select.value = value;
    select.dispatchEvent(new Event('change'));
  }

  it('lists its reports at the top; a link moves to and focuses that report', async () => {
    await setUp();
    await load();

    const links = [...byTestId('report-sections').querySelectorAll<HTMLAnchorElement>('a')];
    expect(links.map((link) => link.getAttribute('data-testid'))).toEqual([
      'report-link-needs',
      'report-link-referrals',
      'report-link-funnel',
      'report-link-time-to-outcome',
      'report-link-contacts',
      'report-link-outcome-change',
      'report-link-disclosures',
    ]);
    const funnel = byTestId('report-funnel').querySelector<HTMLElement>('h2')!;
    expect(links[2]?.textContent.trim()).toBe(funnel.textContent.trim());
    const click = new MouseEvent('click', { cancelable: true, bubbles: true });
    links[2]!.dispatchEvent(click);
    expect(click.defaultPrevented).toBe(true);
    expect(document.activeElement).toBe(funnel);
  });

  it('explains the rules in plain words', async () => {
    await setUp();
    await load();

    const rules = byTestId('reports-rules');
    expect(rules.querySelector('summary')?.textContent.trim()).toBe('How these reports work');
    expect(text('reports-rules')).toContain('quarters that have ended');
    expect(text('reports-rule-fixed')).toBe(
      'Figures for a quarter are fixed when it is first published after it ends; records ' +
        'entered later count in the quarter they are entered.',
    );
    expect(text('reports-rules')).toContain('n/p means not published');
    expect(text('reports-rules')).toContain('A hidden figure can be large.');
    expect(text('reports-rules')).toContain('at least 11 people, rounded to the nearest 5');
  });

  it('shows each report by quarter, a figure not published as "n/p", never as a value', async () => {
    await setUp();
    expect(text('reports-summary')).toBe('2026 so far: January to June · Internal · no filter');
    await load();

    const needs = byTestId('report-needs');
    expect(needs.querySelector('h2')?.textContent.trim()).toBe('Needs identified');
    const chart = needs.querySelector('[data-testid="bar-chart"]')!;
    expect(chart.getAttribute('role')).toBe('img');
    expect(chart.querySelectorAll('g[data-testid^="bar-"]')).toHaveLength(2);
    const health = chart.querySelector('[data-testid="bar-health"]')!;
    expect(health.getAttribute('data-not-published')).toBe('true');
    expect(health.querySelector('rect')).toBeNull();

    const byQuarter = byTestId('needs-by-quarter');
    expect(byQuarter.querySelector('caption')?.textContent.trim()).toBe(
      'Needs by category and quarter',
    );
    expect(byQuarter.querySelector('thead')?.textContent.replace(/\s+/g, ' ').trim()).toBe(
      'Category Q1 2026 Q2 2026 Total',
    );
    const row = byQuarter.querySelector('tr[data-row="health"]')!;
    expect(row.querySelector('th')?.textContent.trim()).toBe('Health');
    const marker = row.querySelector('[data-testid="not-published"]')!;
    expect(marker.querySelector('[aria-hidden="true"]')?.textContent).toBe('n/p');
    expect(marker.querySelector('.visually-hidden')?.textContent).toBe('not published');
    // The quarter total is published although one of its months is not.
    expect(row.querySelectorAll('td')[0]?.textContent.trim()).toBe('14');
    expect(maybeByTestId('needs-by-month')).toBeNull();
    // No hidden figure is given a bound such as "< 5": it can be large.
    expect(needs.textContent).not.toContain('<');
    expect(byTestId('report-referrals').textContent).not.toContain('<');
    expect(byTestId('report-contacts').textContent).not.toContain('<');

    const legend = needs.querySelector('[data-testid="not-published-legend"]')!;
    const [legendMarker, explanation] = [...legend.querySelectorAll('span')];
    expect(legendMarker?.textContent.trim()).toBe('n/p');
    expect(explanation?.textContent.trim()).toBe(
      'Not published: fewer than 5 people, or hidden so that a small number cannot be ' +
        'worked out from the figures around it.',
    );
    expect(
      needs.querySelector('[data-testid="published-quarters"]')?.textContent.replace(/\s+/g, ' '),
    ).toContain('Q1 2026 on Apr 1, 2026, 9:30 AM; Q2 2026 on Jul 2, 2026, 2:05 PM');

    const rates = byTestId('referrals-rates');
    expect(rates.querySelector(`tr[data-row="${SAFE_HOUSE_ID}"]`)?.textContent).toContain('37.5%');
    expect(
      rates.querySelector(`tr[data-row="${LEGAL_AID_ID}"] [data-testid="not-published"]`),
    ).not.toBeNull();
    expect(byTestId('referrals-by-status').textContent).toContain('Legal Aid Centre');
    expect(maybeByTestId('referrals-by-quarter')).not.toBeNull();

    const funnel = byTestId('funnel-by-quarter');
    expect(funnel.querySelector('tfoot')).toBeNull();
    expect(funnel.textContent).toContain('Referrals accepted');
  });

  it('shows change per area of life, a hidden figure as "n/p" and each area’s shares', async () => {
    await setUp();
    await load();

    const section = byTestId('report-outcome-change');
    expect(section.querySelector('h2')?.textContent.trim()).toBe('Change per area of life');
    const byChange = byTestId('outcome-change-by-change');
    expect(byChange.querySelector('thead')?.textContent.replace(/\s+/g, ' ').trim()).toBe(
      'Area of life Better Same Worse Total',
    );
    const safety = byChange.querySelector('tr[data-row="safety"]')!;
    expect(safety.querySelector('th')?.textContent.trim()).toBe('Safety');
    expect([...safety.querySelectorAll('td')].map((td) => td.textContent.trim())).toEqual([
      '12',
      '9',
      '6',
      '27',
    ]);
    const legal = byChange.querySelector('tr[data-row="legal_status"]')!;
    expect(legal.querySelector('th')?.textContent.trim()).toBe('Legal and migration status');
    expect(legal.querySelectorAll('[data-testid="not-published"]')).toHaveLength(3);
    // A person may rate several areas: no column totals that would read as people.
    expect(byChange.querySelector('tfoot')).toBeNull();
    expect(maybeByTestId('outcome-change-by-quarter')).not.toBeNull();
    const shares = byTestId('outcome-change-shares');
    expect(shares.querySelector('tr[data-row="safety"]')?.textContent).toContain('44.4%');
    expect(
      shares.querySelector('tr[data-row="legal_status"] [data-testid="not-published"]'),
    ).not.toBeNull();
    expect(section.textContent).not.toContain('<');
  });

  it('shows a year by month when asked, without asking again; charts follow the table', async () => {
    await setUp();
    await load();

    byTestId('columns-month').querySelector('button')!.click();
    await stable();

    expect(maybeByTestId('needs-by-quarter')).toBeNull();
    const byMonth = byTestId('needs-by-month');
    expect(byMonth.querySelector('caption')?.textContent.trim()).toBe(
      'Needs by category and month',
    );
    expect(byMonth.querySelector('thead')?.textContent).toContain('Jan 2026');
    expect(
      byMonth.querySelector('tr[data-row="health"] [data-testid="not-published"]'),
    ).not.toBeNull();
    expect(maybeByTestId('referrals-by-month')).not.toBeNull();
    expect(maybeByTestId('funnel-by-month')).not.toBeNull();
    expect(reportRequests()).toEqual([]);
  });

  it('offers closed periods only: years, then the whole year or one of its closed quarters', async () => {
    await setUp();
    await load();

    expect(options('filter-year')).toEqual(['2026', '2025', '2024', '2023', '2022']);
    expect(options('filter-quarter')).toEqual([
      'Whole year (quarters that have ended)',
      'Q1: January to March',
      'Q2: April to June',
    ]);
    choose('filter-year', '2025');
    await stable();
    expect(options('filter-quarter')).toHaveLength(5);
    choose('filter-quarter', '2025-Q4');
    choose('filter-year', '2026');
    await stable();
    // 2025-Q4 is not a quarter of 2026: back to the whole year.
    expect(byTestId<HTMLSelectElement>('filter-quarter').value).toBe('');

    choose('filter-quarter', '2026-Q1');
    byTestId<HTMLButtonElement>('filter-apply').click();
    await stable();

    for (const view of [
      'needs',
      'referrals',
      'funnel',
      'time-to-outcome',
      'contacts',
      'outcome-change',
      'disclosures',
    ] as const) {
      expect(expectReport(view).request.params.get('period')).toBe('2026-Q1');
    }
    await stable();
    expect(text('reports-summary')).toBe('January to March 2026 (Q1) · Internal · no filter');
    // A quarter has only its months.
    expect(maybeByTestId('time-columns')).toBeNull();
  });

  it('asks for time to outcome for a quarter when the year has not ended', async () => {
    await setUp();
    await load();

    expect(text('quarters-time-to-outcome')).toContain(
      'Time to outcome is published for one quarter, or for a whole year once it has ended. ' +
        '2026 has not ended yet: choose one of its quarters.',
    );
    expect(maybeByTestId('time-by-category')).toBeNull();
    expect(maybeByTestId('export-time-to-outcome')).toBeNull();
    const q2 = byTestId<HTMLButtonElement>('quarter-time-to-outcome-2026-Q2');
    expect(q2.textContent.trim()).toBe('Q2 2026');
    expect(maybeByTestId('quarter-time-to-outcome-2026-Q3')).toBeNull();
    q2.click();
    await stable();

    const times = expectReport('time-to-outcome');
    expect(times.request.params.get('period')).toBe('2026-Q2');
    times.flush(timeToOutcomeReport());
    await stable();

    expect(q2.getAttribute('aria-pressed')).toBe('true');
    const table = byTestId('time-by-category');
    expect(table.querySelector('tr[data-row="housing"]')?.textContent).toContain('< 5 closed');
    expect(table.querySelector('tr[data-row="legal"]')?.textContent).toContain('7.5');
  });

  it('shows people reached by channel, place, language and circumstance', async () => {
    await setUp();
    await load();

    const contacts = byTestId('report-contacts');
    expect(contacts.querySelector('h2')?.textContent.trim()).toBe('Contacts');
    const [byChannelChart, byCircumstanceChart] = [
      ...contacts.querySelectorAll('[data-testid="bar-chart"]'),
    ];
    // Channels nobody was reached through are left out of the chart.
    expect(byChannelChart!.querySelectorAll('g[data-testid^="bar-"]')).toHaveLength(2);
    expect(
      byChannelChart!
        .querySelector('[data-testid="bar-phone"]')
        ?.getAttribute('data-not-published'),
    ).toBe('true');
    expect(byChannelChart!.getAttribute('aria-label')).toContain('per contact channel');
    expect(byCircumstanceChart!.querySelectorAll('g[data-testid^="bar-"]')).toHaveLength(2);

    const byChannel = byTestId('contacts-by-channel');
    expect(byChannel.querySelector('caption')?.textContent.trim()).toBe(
      'People reached by channel and kind of contact',
    );
    expect(byChannel.querySelector('thead')?.textContent).toContain('Individual contacts');
    expect(byChannel.querySelector('thead')?.textContent).toContain('Group contacts');
    const inPerson = byChannel.querySelector('tr[data-row="in_person"]')!;
    expect(inPerson.querySelector('th')?.textContent.trim()).toBe('In person');
    expect(inPerson.querySelector('td.total')?.textContent.trim()).toBe('39');
    const phone = byChannel.querySelector('tr[data-row="phone"]')!;
    expect(phone.querySelector('[data-testid="not-published"]')).not.toBeNull();

    expect(
      byTestId('contacts-by-location').querySelector('tr[data-row="drop_in_centre"] th')
        ?.textContent,
    ).toContain('Drop-in centre');
    const byLanguage = byTestId('contacts-by-language');
    expect(byLanguage.querySelector('tr[data-row="thai"] th')?.textContent).toContain('Thai');
    expect(byLanguage.querySelector('tr[data-row="not_recorded"] th')?.textContent).toContain(
      'Not recorded',
    );

    const byCircumstance = byTestId('contacts-by-circumstance');
    expect(byCircumstance.querySelector('tr[data-row="post_raid"]')?.textContent).toContain(
      'After a raid',
    );
    expect(byCircumstance.querySelector('tr[data-row="post_raid"] td')?.textContent.trim()).toBe(
      '12',
    );
    expect(
      byCircumstance.querySelector('tr[data-row="violence"] [data-testid="not-published"]'),
    ).not.toBeNull();
    expect(maybeByTestId('contacts-circumstances-filtered')).toBeNull();
  });

  it('saves a report as CSV written from its export, with the tables and columns on screen', async () => {
    await setUp();
    await load();
    // An export always needs step-up; the last one is still fresh here.
    TestBed.inject(SessionStore).noteStepUp();

    byTestId<HTMLButtonElement>('export-funnel').click();
    await stable();
    const exported = backend.expectOne('/api/reports/funnel/export?period=2026&tier=internal');
    expect(byTestId<HTMLButtonElement>('export-funnel').disabled).toBe(true);
    exported.flush(funnelReport());
    await stable();

    expect(downloads.saved).toHaveLength(1);
    const [saved] = downloads.saved;
    expect(saved!.fileName).toBe('harbour-funnel-2026-internal.csv');
    expect(saved!.type).toBe('text/csv;charset=utf-8');
    expect(saved!.content.startsWith('\uFEFFFrom need to outcome\r\n')).toBe(true);
    expect(saved!.content).toContain('\r\nStages by quarter\r\nStage,Q1 2026,Q2 2026,Total\r\n');
    expect(saved!.content).toContain('\r\nReferrals accepted,20,10,30\r\n');
    expect(text('reports-notice')).toContain('harbour-funnel-2026-internal.csv');
    expect(byTestId<HTMLButtonElement>('export-funnel').disabled).toBe(false);

    // By month, in Thai: the file follows the screen.
    byTestId('columns-month').querySelector('button')!.click();
    TestBed.inject(TranslocoService).setActiveLang('th');
    await stable();
    byTestId<HTMLButtonElement>('export-needs').click();
    await stable();
    backend.expectOne('/api/reports/needs/export?period=2026&tier=internal').flush(needsReport());
    await stable();
    const thai = downloads.saved[1]!.content;
    expect(thai).toContain('\r\nความต้องการตามประเภทและเดือน\r\nประเภท,ม.ค. 2569,');
    expect(thai).toContain('\r\nสุขภาพ,ไม่เผยแพร่,5,7,0,6,ไม่เผยแพร่,ไม่เผยแพร่\r\n');
  });

  it("explains a period the server says has not ended (this device's clock ahead)", async () => {
    await setUp();
    backend.expectOne((request) => request.url === '/api/partners').flush([]);
    expectReport('needs').flush(
      { ...apiError('validation_failed'), fields: [{ path: 'period', reason: 'not_closed' }] },
      { status: 400, statusText: 'Bad Request' },
    );
    expectReport('referrals').flush(referralsReport());
    expectReport('funnel').flush(funnelReport());
    expectReport('contacts').flush(contactsReport());
    expectReport('outcome-change').flush(outcomeChangeReport());
    expectReport('disclosures').flush(disclosuresReport());
    await stable();

    expect(text('error-needs')).toContain(
      "This period has not ended yet by the server's clock. Choose an earlier quarter",
    );
  });

  it('offers no export without reports:export', async () => {
    await setUp(['case:read', 'reports:read']);
    await load();

    expect(byTestId('report-needs')).not.toBeNull();
    expect(maybeByTestId('export-needs')).toBeNull();
    expect(maybeByTestId('export-contacts')).toBeNull();
  });

  it('narrows the reports by one filter, and says which reports cannot take it', async () => {
    await setUp();
    await load();

    choose('filter-attribute', 'partner');
    await stable();
    expect(options('filter-value')).toEqual(['Choose a value', 'Safe House', 'Legal Aid Centre']);
    choose('filter-value', LEGAL_AID_ID);
    byTestId<HTMLButtonElement>('filter-apply').click();
    await stable();

    const referrals = expectReport('referrals');
    expect(referrals.request.params.get('partner')).toBe(LEGAL_AID_ID);
    referrals.flush(referralsReport());
    await stable();

    expect(text('unsupported-needs')).toBe(
      'This report cannot be narrowed by Partner. Choose another filter, or none, to see it.',
    );
    expect(maybeByTestId('unsupported-funnel')).not.toBeNull();
    expect(text('unsupported-contacts')).toBe(
      'This report cannot be narrowed by Partner. Choose another filter, or none, to see it.',
    );
    expect(maybeByTestId('report-contacts')).not.toBeNull();
    expect(text('reports-summary')).toContain('Partner: Legal Aid Centre');
  });

  it('leaves out people by circumstance when a filter is applied, and says so', async () => {
    await setUp();
    await load();

    choose('filter-attribute', 'channel');
    await stable();
    choose('filter-value', 'phone');
    byTestId<HTMLButtonElement>('filter-apply').click();
    await stable();

    for (const view of ['needs', 'referrals', 'funnel'] as const) expectReport(view);
    const contacts = expectReport('contacts');
    expect(contacts.request.params.get('channel')).toBe('phone');
    contacts.flush({ ...contactsReport(), byCircumstance: [] });
    await stable();

    expect(maybeByTestId('contacts-by-circumstance')).toBeNull();
    expect(text('contacts-circumstances-filtered')).toContain('only without a filter');
    expect(maybeByTestId('contacts-by-channel')).not.toBeNull();
  });

  it('opens step-up before asking for any external report, and asks for none when cancelled', async () => {
    await setUp();
    await load();

    choose('filter-tier', 'external');
    byTestId<HTMLButtonElement>('filter-apply').click();
    await stable();
    TestBed.tick();

    expect(maybeByTestId('step-up-dialog')).not.toBeNull();
    expect(reportRequests()).toEqual([]);
    byTestId<HTMLButtonElement>('step-up-cancel').click();
    await stable();

    expect(reportRequests()).toEqual([]);
    expect(text('step-up-cancelled-needs')).toContain('The report was not loaded.');
    expect(maybeByTestId('step-up-cancelled-contacts')).not.toBeNull();
  });
});
