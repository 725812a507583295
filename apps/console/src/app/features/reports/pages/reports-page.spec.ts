import { provideHttpClient, withInterceptors } from '@angular/common/http';
import type { TestRequest } from '@angular/common/http/testing';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import type { ComponentFixture } from '@angular/core/testing';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import type { Permission } from '@harbour/domain';
import { byTestId, maybeByTestId, settle } from '../../../../testing/dom';
import { FakeSnackBar } from '../../../../testing/fake-snack-bar';
import { provideTranslocoTesting } from '../../../../testing/i18n';
import { provideNoAnimations } from '../../../../testing/material';
import {
  contactsReport,
  funnelReport,
  LEGAL_AID_ID,
  needsReport,
  referralsReport,
  SAFE_HOUSE_ID,
  timeToOutcomeReport,
} from '../../../../testing/reports';
import { sessionInfo } from '../../../../testing/session';
import { SessionStore } from '../../../core/auth/session.store';
import { errorInterceptor } from '../../../core/http/error.interceptor';
import { provideAppIcons } from '../../../core/icons/icons';
import { Clock } from '../../../core/time/clock';
import { FileDownload } from '../../../core/ui/file-download';
import type { ReportView } from '../data/report-filters';
import { ReportsStore } from '../data/reports.store';
import { ReportsPage } from './reports-page';

/** 15 January 2026, in UTC. */
const NOW = Date.UTC(2026, 0, 15, 10, 0, 0);

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
    const session = sessionInfo({ roles: ['coordinator'] });
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
    return backend.expectOne(
      (request) => request.url === `/api/reports/${view}` && !request.headers.has('Accept'),
    );
  }

  /** Answers the partner list and the five reports. */
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
    expectReport('time-to-outcome').flush(timeToOutcomeReport());
    expectReport('contacts').flush(contactsReport());
    await stable();
  }

  function choose(testId: string, value: string): void {
    const select = byTestId<HTMLSelectElement>(testId);
    select.value = value;
    select.dispatchEvent(new Event('change'));
  }

  it('shows each report with a chart and tables, suppressed numbers as "< k"', async () => {
    await setUp();
    expect(text('reports-summary')).toBe('February 2025 to January 2026 · Internal · no filter');
    await load();

    const needs = byTestId('report-needs');
    expect(needs.querySelector('h2')?.textContent.trim()).toBe('Needs identified');
    const chart = needs.querySelector('[data-testid="bar-chart"]')!;
    expect(chart.getAttribute('role')).toBe('img');
    expect(chart.querySelectorAll('g[data-testid^="bar-"]')).toHaveLength(2);
    expect(chart.querySelector('[data-testid="bar-health"]')?.getAttribute('data-suppressed')).toBe(
      'true',
    );

    const byMonth = byTestId('needs-by-month');
    expect(byMonth.querySelector('caption')?.textContent.trim()).toBe(
      'Needs by category and month',
    );
    const health = byMonth.querySelector('tr[data-row="health"]')!;
    const suppressed = health.querySelector('[data-testid="suppressed"]')!;
    expect(suppressed.textContent.trim()).toBe('< 5');
    expect(suppressed.getAttribute('title')).toContain('fewer than 5');
    expect(health.querySelector('th')?.textContent.trim()).toBe('Health');
    expect(byMonth.querySelector('thead')?.textContent).toContain('Jan 2026');
    expect(text('suppression-legend')).toContain('fewer than 5');

    const rates = byTestId('referrals-rates');
    expect(rates.querySelector(`tr[data-row="${SAFE_HOUSE_ID}"]`)?.textContent).toContain('37.5%');
    expect(byTestId('referrals-by-status').textContent).toContain('Legal Aid Centre');

    const funnel = byTestId('funnel-by-month');
    expect(funnel.querySelector('tfoot')).toBeNull();
    expect(funnel.textContent).toContain('Referrals accepted');

    const times = byTestId('time-by-category');
    expect(times.querySelector('tr[data-row="housing"]')?.textContent).toContain('< 5 closed');
    expect(times.querySelector('tr[data-row="legal"]')?.textContent).toContain('7.5');
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
      byChannelChart!.querySelector('[data-testid="bar-phone"]')?.getAttribute('data-suppressed'),
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
    expect(phone.querySelector('[data-testid="suppressed"]')?.textContent.trim()).toBe('< 5');

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
      byCircumstance.querySelector('tr[data-row="violence"] [data-testid="suppressed"]')
        ?.textContent,
    ).toContain('< 5');
    expect(maybeByTestId('contacts-circumstances-filtered')).toBeNull();
  });

  it('saves one report as CSV', async () => {
    await setUp();
    await load();

    byTestId<HTMLButtonElement>('export-funnel').click();
    await stable();
    const csv = backend.expectOne(
      (request) =>
        request.url === '/api/reports/funnel' && request.headers.get('Accept') === 'text/csv',
    );
    expect(byTestId<HTMLButtonElement>('export-funnel').disabled).toBe(true);
    csv.flush('table,row,column,value\n');
    await stable();

    expect(downloads.saved).toEqual([
      {
        content: 'table,row,column,value\n',
        fileName: 'harbour-funnel-2025-02-2026-01-internal.csv',
        type: 'text/csv;charset=utf-8',
      },
    ]);
    expect(text('reports-notice')).toContain('harbour-funnel-2025-02-2026-01-internal.csv');
    expect(byTestId<HTMLButtonElement>('export-funnel').disabled).toBe(false);
  });

  it('offers no export without reports:export', async () => {
    await setUp(['case:read', 'reports:read']);
    await load();

    expect(byTestId('report-needs')).not.toBeNull();
    expect(maybeByTestId('export-needs')).toBeNull();
    expect(maybeByTestId('export-time-to-outcome')).toBeNull();
    expect(maybeByTestId('export-contacts')).toBeNull();
  });

  it('saves the contacts report as CSV', async () => {
    await setUp();
    await load();

    byTestId<HTMLButtonElement>('export-contacts').click();
    await stable();
    backend
      .expectOne(
        (request) =>
          request.url === '/api/reports/contacts' && request.headers.get('Accept') === 'text/csv',
      )
      .flush('table,row,column,value\n');
    await stable();

    expect(downloads.saved.map((saved) => saved.fileName)).toEqual([
      'harbour-contacts-2025-02-2026-01-internal.csv',
    ]);
  });

  it('narrows the reports by one filter, and says which reports cannot take it', async () => {
    await setUp();
    await load();

    choose('filter-attribute', 'partner');
    await stable();
    const values = [...byTestId<HTMLSelectElement>('filter-value').options].map((option) =>
      option.textContent.trim(),
    );
    expect(values).toEqual(['Choose a value', 'Safe House', 'Legal Aid Centre']);
    choose('filter-value', LEGAL_AID_ID);
    byTestId<HTMLButtonElement>('filter-apply').click();
    await stable();

    const referrals = expectReport('referrals');
    expect(referrals.request.params.get('partner')).toBe(LEGAL_AID_ID);
    referrals.flush(referralsReport());
    expectReport('time-to-outcome').flush(timeToOutcomeReport());
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

    for (const view of ['needs', 'referrals', 'funnel', 'time-to-outcome'] as const) {
      expectReport(view);
    }
    const contacts = expectReport('contacts');
    expect(contacts.request.params.get('channel')).toBe('phone');
    contacts.flush({ ...contactsReport(), byCircumstance: [] });
    await stable();

    expect(maybeByTestId('contacts-by-circumstance')).toBeNull();
    expect(text('contacts-circumstances-filtered')).toContain('only without a filter');
    expect(maybeByTestId('contacts-by-channel')).not.toBeNull();
  });

  it('does not ask for a range that runs backwards', async () => {
    await setUp();
    await load();

    choose('filter-from', '2026-01');
    choose('filter-to', '2025-06');
    byTestId<HTMLButtonElement>('filter-apply').click();
    await stable();

    expect(text('filter-range-error')).toBe('The last month must not be before the first.');
    backend.expectNone((request) => request.url.startsWith('/api/reports/'));
  });
});
