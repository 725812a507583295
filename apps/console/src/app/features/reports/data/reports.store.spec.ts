import { provideHttpClient, withInterceptors } from '@angular/common/http';
import type { TestRequest } from '@angular/common/http/testing';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { MatSnackBar } from '@angular/material/snack-bar';
import type { Observable } from 'rxjs';
import { lastValueFrom, of, toArray } from 'rxjs';
import { settle } from '../../../../testing/dom';
import { FakeSnackBar } from '../../../../testing/fake-snack-bar';
import { provideTranslocoTesting } from '../../../../testing/i18n';
import {
  contactsReport,
  funnelReport,
  LEGAL_AID_ID,
  needsReport,
  referralsReport,
  SAFE_HOUSE_ID,
  timeToOutcomeReport,
} from '../../../../testing/reports';
import { apiError } from '../../../../testing/session';
import { StepUpDialog } from '../../../core/auth/step-up-dialog';
import { errorInterceptor } from '../../../core/http/error.interceptor';
import {
  MESSAGE_HANDLED_BY_CALLER,
  STEP_UP_HANDLED_BY_CALLER,
} from '../../../core/http/http-context';
import { Clock } from '../../../core/time/clock';
import type { ReportView } from './report-filters';
import { ReportsStore } from './reports.store';

/** Stands in for MatDialog (as in step-up.service.spec.ts): step-up "closes" with `result`. */
class FakeDialog {
  readonly opened: unknown[] = [];
  result: boolean | undefined = true;

  open(component: unknown): { afterClosed: () => Observable<boolean | undefined> } {
    this.opened.push(component);
    return { afterClosed: () => of(this.result) };
  }
}

/** 15 January 2026, in UTC. */
const NOW = Date.UTC(2026, 0, 15, 10, 0, 0);

const ANSWERS = {
  needs: needsReport(),
  referrals: referralsReport(),
  funnel: funnelReport(),
  'time-to-outcome': timeToOutcomeReport(),
  contacts: contactsReport(),
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
    store = TestBed.inject(ReportsStore);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    backend.verify();
  });

  function expectReport(view: ReportView): TestRequest {
    return backend.expectOne(
      (request) => request.url === `/api/reports/${view}` && !request.headers.has('Accept'),
    );
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

  describe('loading', () => {
    it('asks for the partners and all five reports for the last twelve months', () => {
      store.load();

      expect(store.loading()).toBe(true);
      backend
        .expectOne((request) => request.url === '/api/partners')
        .flush([
          { id: SAFE_HOUSE_ID, name: 'Safe House' },
          { id: LEGAL_AID_ID, name: 'Legal Aid Centre' },
        ]);
      const requests = (
        ['needs', 'referrals', 'funnel', 'time-to-outcome', 'contacts'] as const
      ).map((view) => expectReport(view));
      for (const request of requests) {
        expect(params(request)).toEqual({ from: '2025-02', to: '2026-01', tier: 'internal' });
        expect(request.request.context.get(STEP_UP_HANDLED_BY_CALLER)).toBe(true);
        expect(request.request.context.get(MESSAGE_HANDLED_BY_CALLER)).toEqual([
          'validation_failed',
        ]);
      }
      requests[0]!.flush(ANSWERS.needs);
      expect(store.reports().needs).toEqual({ kind: 'ready', report: ANSWERS.needs });
      expect(store.reports().referrals).toEqual({ kind: 'loading' });
      requests[1]!.flush(ANSWERS.referrals);
      requests[2]!.flush(ANSWERS.funnel);
      requests[3]!.flush(ANSWERS['time-to-outcome']);
      expect(store.loading()).toBe(true);
      requests[4]!.flush(ANSWERS.contacts);

      expect(store.loading()).toBe(false);
      expect(store.reports().contacts).toEqual({ kind: 'ready', report: ANSWERS.contacts });
      expect(store.reports()['time-to-outcome']).toEqual({
        kind: 'ready',
        report: ANSWERS['time-to-outcome'],
      });
      expect(store.partners()).toEqual([
        { id: SAFE_HOUSE_ID, name: 'Safe House' },
        { id: LEGAL_AID_ID, name: 'Legal Aid Centre' },
      ]);
      expect(store.k()).toBe(5);
      expect(store.roundedTo()).toBeNull();
      expect(dialog.opened).toEqual([]);
    });

    it('sends one filter, and does not ask reports that cannot take it', () => {
      store.applyFilters({
        from: '2025-06',
        to: '2025-12',
        tier: 'internal',
        filter: { attribute: 'partner', value: SAFE_HOUSE_ID },
      });

      const referrals = expectReport('referrals');
      expect(params(referrals)).toEqual({
        from: '2025-06',
        to: '2025-12',
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
        from: '2025-06',
        to: '2025-12',
        tier: 'internal',
        filter: { attribute: 'circumstance', value: 'post_raid' },
      });
      const contacts = expectReport('contacts');
      expect(params(contacts)).toEqual({
        from: '2025-06',
        to: '2025-12',
        tier: 'internal',
        circumstance: 'post_raid',
      });
      const filtered = { ...ANSWERS.contacts, byCircumstance: [] };
      contacts.flush(filtered);
      answerAll(['needs', 'referrals', 'funnel', 'time-to-outcome']);
      expect(store.reports().contacts).toEqual({ kind: 'ready', report: filtered });

      store.applyFilters({
        from: '2025-06',
        to: '2025-12',
        tier: 'internal',
        filter: { attribute: 'category', value: 'legal' },
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
      answerAll(['referrals', 'funnel', 'time-to-outcome', 'contacts']);

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
      for (const view of ['referrals', 'funnel', 'time-to-outcome', 'contacts'] as const) {
        expectReport(view);
      }
      store.applyFilters({ from: '2025-01', to: '2025-03', tier: 'internal', filter: null });

      expect(stale.cancelled).toBe(true);
      const fresh = expectReport('needs');
      expect(params(fresh)).toMatchObject({ from: '2025-01', to: '2025-03' });
      fresh.flush(ANSWERS.needs);
      answerAll(['referrals', 'funnel', 'time-to-outcome', 'contacts']);
      expect(store.filters().from).toBe('2025-01');
    });
  });

  describe('external tier', () => {
    const external = { from: '2025-02', to: '2026-01', tier: 'external', filter: null } as const;

    it('asks for step-up once for all five reports, then asks again', async () => {
      store.applyFilters(external);
      const first = takeAll();
      expect(first).toHaveLength(5);
      expect(params(first[0]!)).toMatchObject({ tier: 'external' });
      first[0]!.flush(apiError('step_up_required'), STEP_UP_REQUIRED);
      await settle();

      expect(first.slice(1).every((request) => request.cancelled)).toBe(true);
      expect(dialog.opened).toEqual([StepUpDialog]);
      const strict = { ...ANSWERS.needs.meta, tier: 'external', k: 11, roundedTo: 5 } as const;
      for (const view of ['needs', 'referrals', 'funnel', 'time-to-outcome', 'contacts'] as const) {
        expectReport(view).flush({ ...ANSWERS[view], meta: strict });
      }
      expect(store.reports().funnel.kind).toBe('ready');
      expect(store.reports().contacts.kind).toBe('ready');
      expect(store.k()).toBe(11);
      expect(store.roundedTo()).toBe(5);
      expect(snackBar.opened).toEqual([]);
    });

    it('loads nothing when step-up is cancelled, and says so', async () => {
      dialog.result = false;
      store.applyFilters(external);
      takeAll()[0]!.flush(apiError('step_up_required'), STEP_UP_REQUIRED);
      await settle();

      backend.expectNone((request) => request.url.startsWith('/api/reports/'));
      expect(store.reports().needs).toEqual({ kind: 'stepUpCancelled' });
      expect(store.reports()['time-to-outcome']).toEqual({ kind: 'stepUpCancelled' });
      expect(store.reports().contacts).toEqual({ kind: 'stepUpCancelled' });
      expect(store.loading()).toBe(false);
    });

    it('shows a second refusal as an error on every report', async () => {
      store.applyFilters(external);
      takeAll()[0]!.flush(apiError('step_up_required'), STEP_UP_REQUIRED);
      await settle();
      takeAll()[1]!.flush(apiError('step_up_required'), STEP_UP_REQUIRED);

      for (const view of ['needs', 'referrals', 'funnel', 'time-to-outcome', 'contacts'] as const) {
        expect(store.reports()[view]).toMatchObject({
          kind: 'error',
          error: { code: 'step_up_required' },
        });
      }
    });
  });

  describe('export', () => {
    it('downloads one report as CSV under the applied filters, after step-up if asked', async () => {
      store.applyFilters({
        from: '2025-06',
        to: '2025-12',
        tier: 'external',
        filter: { attribute: 'language', value: 'thai' },
      });
      backend.match((request) => request.url.startsWith('/api/reports/'));
      const exported = lastValueFrom(store.exportCsv('referrals'));

      const first = backend.expectOne(
        (request) =>
          request.url === '/api/reports/referrals' && request.headers.get('Accept') === 'text/csv',
      );
      expect(params(first)).toEqual({
        from: '2025-06',
        to: '2025-12',
        tier: 'external',
        language: 'thai',
      });
      expect(first.request.responseType).toBe('text');
      first.flush(JSON.stringify(apiError('step_up_required')), STEP_UP_REQUIRED);
      await settle();

      expect(dialog.opened).toEqual([StepUpDialog]);
      backend
        .expectOne((request) => request.headers.get('Accept') === 'text/csv')
        .flush('table,row,column,value\n');
      expect(await exported).toEqual({
        fileName: 'harbour-referrals-2025-06-2025-12-external-language.csv',
        csv: 'table,row,column,value\n',
      });
    });

    it('exports nothing when step-up is cancelled', async () => {
      dialog.result = false;
      const exported = lastValueFrom(store.exportCsv('needs').pipe(toArray()));
      backend
        .expectOne((request) => request.headers.get('Accept') === 'text/csv')
        .flush(JSON.stringify(apiError('step_up_required')), STEP_UP_REQUIRED);

      expect(await exported).toEqual([]);
    });
  });
});
