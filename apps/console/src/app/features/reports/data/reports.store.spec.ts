import { provideHttpClient, withInterceptors } from '@angular/common/http';
import type { TestRequest } from '@angular/common/http/testing';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { MatSnackBar } from '@angular/material/snack-bar';
import type { Observable } from 'rxjs';
import { lastValueFrom, of, Subject, toArray } from 'rxjs';
import { settle } from '../../../../testing/dom';
import { FakeSnackBar } from '../../../../testing/fake-snack-bar';
import { provideTranslocoTesting } from '../../../../testing/i18n';
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
import { StepUpDialog } from '../../../core/auth/step-up-dialog';
import { errorInterceptor } from '../../../core/http/error.interceptor';
import {
  MESSAGE_HANDLED_BY_CALLER,
  STEP_UP_HANDLED_BY_CALLER,
} from '../../../core/http/http-context';
import { Clock } from '../../../core/time/clock';
import type { ReportView } from './report-filters';
import { ReportsStore } from './reports.store';

/**
 * Stands in for MatDialog (as in step-up.service.spec.ts): step-up "closes" with `result`, or
 * stays open until `closing` emits.
 */
class FakeDialog {
  readonly opened: unknown[] = [];
  result: boolean | undefined = true;
  closing: Subject<boolean> | null = null;

  open(component: unknown): { afterClosed: () => Observable<boolean | undefined> } {
    this.opened.push(component);
    return { afterClosed: () => this.closing ?? of(this.result) };
  }
}

/** 15 August 2026, in UTC: 2026-Q1 and Q2 have closed, Q3 has not. */
const NOW = Date.UTC(2026, 7, 15, 10, 0, 0);

const ANSWERS = {
  needs: needsReport(),
  referrals: referralsReport(),
  funnel: funnelReport(),
  'time-to-outcome': timeToOutcomeReport(),
  contacts: contactsReport(),
  'outcome-change': outcomeChangeReport(),
  disclosures: disclosuresReport(),
} as const;

const STEP_UP_REQUIRED = { status: 403, statusText: 'Forbidden' };

describe('ReportsStore', () => {
  let store: ReportsStore;
  let backend: HttpTestingController;
  let snackBar: FakeSnackBar;
  let dialog: FakeDialog;

  beforeEach(() => {
    snackBar = new FakeSnackBar();
    dialog = new FakeDialog();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([errorInterceptor])),
        provideHttpClientTesting(),
        provideTranslocoTesting(),
        { provide: MatSnackBar, useValue: snackBar },
        { provide: MatDialog, useValue: dialog },
        { provide: Clock, useValue: { now: () => NOW } },
        ReportsStore,
      ],
    });
    TestBed.inject(SessionStore).signIn(sessionInfo({ roles: ['coordinator'], now: NOW }));
    store = TestBed.inject(ReportsStore);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    backend.verify();
  });

  function expectReport(view: ReportView): TestRequest {
    return backend.expectOne((request) => request.url === `/api/reports/${view}`);
  }

  function params(request: TestRequest): Record<string, string> {
    const { params } = request.request;
    return Object.fromEntries(params.keys().map((key) => [key, params.get(key) ?? '']));
  }

  /** Every report request sent so far (one step-up refusal cancels the others). */
  function takeAll(): TestRequest[] {
    return backend.match((request) => request.url.startsWith('/api/reports/'));
  }

  function answerAll(views: readonly ReportView[] = Object.keys(ANSWERS) as ReportView[]): void {
    for (const view of views) expectReport(view).flush(ANSWERS[view]);
  }

  /** Every report but time to outcome (which waits for a whole year, or a chosen quarter). */
  const FOUR = [
    'needs',
    'referrals',
    'funnel',
    'contacts',
    'outcome-change',
    'disclosures',
  ] as const;
  /** Every report. */
  const FIVE = [
    'needs',
    'referrals',
    'funnel',
    'time-to-outcome',
    'contacts',
    'outcome-change',
    'disclosures',
  ] as const;
  /** A year that has fully closed: time to outcome can be asked for it. */
  const YEAR_2025 = { period: '2025', tier: 'internal', filter: null } as const;

  describe('loading', () => {
    it('asks for the partners and the reports of the year so far; time to outcome waits for a quarter', () => {
      store.load();

      expect(store.loading()).toBe(true);
      backend
        .expectOne((request) => request.url === '/api/partners')
        .flush([
          { id: SAFE_HOUSE_ID, name: 'Safe House' },
          { id: LEGAL_AID_ID, name: 'Legal Aid Centre' },
        ]);
      const requests = FOUR.map((view) => expectReport(view));
      for (const request of requests) {
        expect(params(request)).toEqual({ period: '2026', tier: 'internal' });
        expect(request.request.context.get(STEP_UP_HANDLED_BY_CALLER)).toBe(true);
        expect(request.request.context.get(MESSAGE_HANDLED_BY_CALLER)).toEqual([
          'validation_failed',
        ]);
      }
      // 2026 has not ended: its quartiles are not published, so they are not asked for.
      backend.expectNone('/api/reports/time-to-outcome');
      expect(store.reports()['time-to-outcome']).toEqual({
        kind: 'periodOpen',
        quarters: ['2026-Q1', '2026-Q2'],
      });
      expect(store.timesQuarters()).toEqual(['2026-Q1', '2026-Q2']);

      requests[0]!.flush(ANSWERS.needs);
      expect(store.reports().needs).toEqual({ kind: 'ready', report: ANSWERS.needs });
      expect(store.reports().referrals).toEqual({ kind: 'loading' });
      requests[1]!.flush(ANSWERS.referrals);
      requests[2]!.flush(ANSWERS.funnel);
      expect(store.loading()).toBe(true);
      requests[3]!.flush(ANSWERS.contacts);
      requests[4]!.flush(ANSWERS['outcome-change']);
      expect(store.loading()).toBe(true);
      requests[5]!.flush(ANSWERS.disclosures);

      expect(store.loading()).toBe(false);
      expect(store.reports().contacts).toEqual({ kind: 'ready', report: ANSWERS.contacts });
      expect(store.partners()).toEqual([
        { id: SAFE_HOUSE_ID, name: 'Safe House' },
        { id: LEGAL_AID_ID, name: 'Legal Aid Centre' },
      ]);
      expect(store.k()).toBe(5);
      expect(store.roundedTo()).toBeNull();
      expect(dialog.opened).toEqual([]);
    });

    it('asks for time to outcome over a year that has fully closed', () => {
      store.applyFilters(YEAR_2025);
      expect(params(expectReport('time-to-outcome'))).toEqual({
        period: '2025',
        tier: 'internal',
      });
      answerAll(FOUR);
      expect(store.timesQuarters()).toEqual([]);
    });

    it('shows time to outcome for a closed quarter of the year, leaving the others as they are', () => {
      store.applyFilters({
        period: '2026',
        tier: 'internal',
        filter: { attribute: 'category', value: 'legal' },
      });
      answerAll(['needs', 'referrals', 'funnel']);

      // An open quarter is never asked for.
      store.showTimesFor('2026-Q3');
      backend.expectNone('/api/reports/time-to-outcome');

      store.showTimesFor('2026-Q2');
      expect(store.reports()['time-to-outcome']).toEqual({ kind: 'loading' });
      const times = expectReport('time-to-outcome');
      expect(params(times)).toEqual({ period: '2026-Q2', tier: 'internal', category: 'legal' });
      times.flush(ANSWERS['time-to-outcome']);
      expect(store.reports()['time-to-outcome'].kind).toBe('ready');
      expect(store.reports().needs.kind).toBe('ready');
      expect(store.timesQuarterChosen()).toBe('2026-Q2');
      expect(store.filters().period).toBe('2026');

      // Applying filters again starts from the year.
      store.applyFilters({ period: '2026', tier: 'internal', filter: null });
      answerAll(FOUR);
      expect(store.timesQuarterChosen()).toBeNull();
      expect(store.reports()['time-to-outcome'].kind).toBe('periodOpen');
    });

    it('shows a year by quarter unless months are chosen, and a quarter by month', () => {
      store.reload();
      answerAll(FOUR);
      expect(store.timeColumns()).toBe('quarter');
      expect(store.canChooseColumns()).toBe(true);
      store.chooseColumns('month');
      expect(store.timeColumns()).toBe('month');
      backend.expectNone((request) => request.url.startsWith('/api/reports/'));

      store.applyFilters({ period: '2026-Q1', tier: 'internal', filter: null });
      answerAll(FIVE);
      store.chooseColumns('quarter');
      expect(store.timeColumns()).toBe('month');
      expect(store.canChooseColumns()).toBe(false);
    });

    it('sends one filter, and does not ask reports that cannot take it', () => {
      store.applyFilters({
        period: '2025-Q4',
        tier: 'internal',
        filter: { attribute: 'partner', value: SAFE_HOUSE_ID },
      });

      const referrals = expectReport('referrals');
      expect(params(referrals)).toEqual({
        period: '2025-Q4',
        tier: 'internal',
        partner: SAFE_HOUSE_ID,
      });
      referrals.flush(ANSWERS.referrals);
      expectReport('time-to-outcome').flush(ANSWERS['time-to-outcome']);
      backend.expectNone('/api/reports/needs');
      backend.expectNone('/api/reports/funnel');
      backend.expectNone('/api/reports/contacts');

      expect(store.reports().needs).toEqual({ kind: 'unsupported' });
      expect(store.reports().funnel).toEqual({ kind: 'unsupported' });
      expect(store.reports().contacts).toEqual({ kind: 'unsupported' });
      expect(store.reports().referrals.kind).toBe('ready');
    });

    it('asks for contacts with a filter it takes, and not with one it does not', () => {
      store.applyFilters({
        ...YEAR_2025,
        filter: { attribute: 'circumstance', value: 'post_raid' },
      });
      const contacts = expectReport('contacts');
      expect(params(contacts)).toEqual({
        period: '2025',
        tier: 'internal',
        circumstance: 'post_raid',
      });
      const filtered = { ...ANSWERS.contacts, byCircumstance: [] };
      contacts.flush(filtered);
      answerAll(['needs', 'referrals', 'funnel', 'time-to-outcome']);
      expect(store.reports().contacts).toEqual({ kind: 'ready', report: filtered });

      store.applyFilters({ ...YEAR_2025, filter: { attribute: 'category', value: 'legal' } });
      answerAll(['needs', 'referrals', 'funnel', 'time-to-outcome']);
      backend.expectNone('/api/reports/contacts');
      expect(store.reports().contacts).toEqual({ kind: 'unsupported' });

      // Every contact has a channel: "not recorded" is a channel of needs, not of contacts.
      store.applyFilters({
        ...YEAR_2025,
        filter: { attribute: 'channel', value: 'not_recorded' },
      });
      answerAll(['needs', 'referrals', 'funnel', 'time-to-outcome']);
      backend.expectNone('/api/reports/contacts');
      expect(store.reports().contacts).toEqual({ kind: 'unsupported' });
      expect(store.loading()).toBe(false);
    });

    it('keeps a failed report apart from the others', () => {
      store.reload();
      expectReport('needs').flush(apiError('validation_failed'), {
        status: 400,
        statusText: 'Bad Request',
      });
      answerAll(['referrals', 'funnel', 'contacts', 'outcome-change', 'disclosures']);

      expect(store.reports().needs).toMatchObject({
        kind: 'error',
        error: { code: 'validation_failed' },
      });
      expect(store.reports().referrals.kind).toBe('ready');
      // Explained in the report's section, not in a pop-up.
      expect(snackBar.opened).toEqual([]);
    });

    it('drops answers still in flight when filters are applied', () => {
      store.reload();
      const stale = expectReport('needs');
      for (const view of [
        'referrals',
        'funnel',
        'contacts',
        'outcome-change',
        'disclosures',
      ] as const) {
        expectReport(view);
      }
      store.applyFilters({ period: '2026-Q1', tier: 'internal', filter: null });

      expect(stale.cancelled).toBe(true);
      const fresh = expectReport('needs');
      expect(params(fresh)).toMatchObject({ period: '2026-Q1' });
      fresh.flush(ANSWERS.needs);
      answerAll([
        'referrals',
        'funnel',
        'time-to-outcome',
        'contacts',
        'outcome-change',
        'disclosures',
      ]);
      expect(store.filters().period).toBe('2026-Q1');
    });
  });

  describe('external tier', () => {
    const external = { period: '2025', tier: 'external', filter: null } as const;
    const strict = { ...ANSWERS.needs.meta, tier: 'external', k: 11, roundedTo: 5 } as const;

    it('asks for step-up before sending any report when the last step-up is not fresh', async () => {
      dialog.closing = new Subject<boolean>();
      store.applyFilters(external);
      await settle();

      // The dialog is open and nothing has been asked: no request can be refused.
      expect(dialog.opened).toEqual([StepUpDialog]);
      expect(takeAll()).toEqual([]);
      expect(store.loading()).toBe(true);

      TestBed.inject(SessionStore).noteStepUp();
      dialog.closing.next(true);
      dialog.closing.complete();
      for (const view of FIVE) {
        const request = expectReport(view);
        expect(params(request)).toEqual({ period: '2025', tier: 'external' });
        request.flush({ ...ANSWERS[view], meta: strict });
      }
      expect(store.reports().funnel.kind).toBe('ready');
      expect(store.k()).toBe(11);
      expect(store.roundedTo()).toBe(5);
      expect(dialog.opened).toHaveLength(1);
      expect(snackBar.opened).toEqual([]);

      // While the step-up is fresh, other filters ask at once.
      store.applyFilters({ ...external, period: '2025-Q3' });
      answerAll(FIVE);
      expect(dialog.opened).toHaveLength(1);
    });

    it('sends nothing when step-up is cancelled, and says so', async () => {
      dialog.result = false;
      store.applyFilters(external);
      await settle();

      backend.expectNone((request) => request.url.startsWith('/api/reports/'));
      for (const view of FIVE) expect(store.reports()[view]).toEqual({ kind: 'stepUpCancelled' });
      expect(store.loading()).toBe(false);
    });

    it('asks once more if the API refuses a step-up this device thinks fresh (clocks apart)', async () => {
      TestBed.inject(SessionStore).noteStepUp();
      store.applyFilters(external);
      const first = takeAll();
      expect(first).toHaveLength(7);
      expect(dialog.opened).toEqual([]);
      first[0]!.flush(apiError('step_up_required'), STEP_UP_REQUIRED);
      await settle();

      expect(first.slice(1).every((request) => request.cancelled)).toBe(true);
      expect(dialog.opened).toEqual([StepUpDialog]);
      for (const view of FIVE) expectReport(view).flush({ ...ANSWERS[view], meta: strict });
      expect(store.reports().contacts.kind).toBe('ready');
    });

    it('shows a refusal after step-up as an error on every report', async () => {
      store.applyFilters(external);
      await settle();
      takeAll()[0]!.flush(apiError('step_up_required'), STEP_UP_REQUIRED);
      await settle();
      // Refused again after the second dialog: an error, not a third dialog.
      takeAll()[0]!.flush(apiError('step_up_required'), STEP_UP_REQUIRED);

      for (const view of FIVE) {
        expect(store.reports()[view]).toMatchObject({
          kind: 'error',
          error: { code: 'step_up_required' },
        });
      }
      expect(dialog.opened).toHaveLength(2);
    });
  });

  describe('export', () => {
    it('asks for step-up before an export when the last one is not fresh, and sends nothing if cancelled', async () => {
      dialog.result = false;
      store.applyFilters({ period: '2025-Q4', tier: 'internal', filter: null });
      takeAll();
      const exported = lastValueFrom(store.exportReport('needs'), { defaultValue: null });
      await settle();
      expect(dialog.opened).toEqual([StepUpDialog]);
      backend.expectNone((request) => request.url.includes('/export'));
      expect(await exported).toBeNull();
    });

    it('asks the export endpoint for the same report under the applied filters', async () => {
      // An export always needs step-up; here the last one is still fresh.
      TestBed.inject(SessionStore).noteStepUp();
      store.applyFilters({
        period: '2025-Q4',
        tier: 'internal',
        filter: { attribute: 'language', value: 'thai' },
      });
      takeAll();
      const exported = lastValueFrom(store.exportReport('referrals'));

      const request = backend.expectOne(
        '/api/reports/referrals/export?period=2025-Q4&tier=internal&language=thai',
      );
      expect(request.request.responseType).toBe('json');
      request.flush(ANSWERS.referrals);
      expect(await exported).toEqual({
        view: 'referrals',
        fileName: 'harbour-referrals-2025-Q4-internal-language.csv',
        report: ANSWERS.referrals,
      });
      expect(dialog.opened).toEqual([]);
    });

    it('exports time to outcome for the quarter shown', async () => {
      TestBed.inject(SessionStore).noteStepUp();
      store.reload();
      answerAll(FOUR);
      store.showTimesFor('2026-Q1');
      expectReport('time-to-outcome').flush(ANSWERS['time-to-outcome']);

      const exported = lastValueFrom(store.exportReport('time-to-outcome'));
      backend
        .expectOne('/api/reports/time-to-outcome/export?period=2026-Q1&tier=internal')
        .flush(ANSWERS['time-to-outcome']);
      expect((await exported).fileName).toBe('harbour-time-to-outcome-2026-Q1-internal.csv');
    });

    it('asks for step-up before an external export, and exports nothing when cancelled', async () => {
      dialog.result = false;
      store.applyFilters({ period: '2025', tier: 'external', filter: null });
      await settle();
      const cancelled = lastValueFrom(store.exportReport('needs').pipe(toArray()));
      await settle();
      expect(await cancelled).toEqual([]);
      backend.expectNone((request) => request.url.startsWith('/api/reports/'));

      dialog.result = true;
      const exported = lastValueFrom(store.exportReport('needs'));
      await settle();
      backend
        .expectOne('/api/reports/needs/export?period=2025&tier=external')
        .flush({ ...ANSWERS.needs, meta: { ...ANSWERS.needs.meta, tier: 'external' } });
      expect((await exported).fileName).toBe('harbour-needs-2025-external.csv');
      expect(dialog.opened).toHaveLength(3);
    });
  });
});
