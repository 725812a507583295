import { provideHttpClient, withInterceptors } from '@angular/common/http';
import type { TestRequest } from '@angular/common/http/testing';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { MatSnackBar } from '@angular/material/snack-bar';
import type { AccessEventPage } from '@harbour/domain';
import type { Observable } from 'rxjs';
import { lastValueFrom, of, toArray } from 'rxjs';
import {
  accessEvent,
  anomaly,
  BEN_ID,
  checkpoint,
  CHI_ID,
  eventRange,
  fakeSha256,
  provenEvent,
  verification,
} from '../../../../testing/audit';
import { settle } from '../../../../testing/dom';
import { FakeSnackBar } from '../../../../testing/fake-snack-bar';
import { provideTranslocoTesting } from '../../../../testing/i18n';
import { apiError, sessionInfo } from '../../../../testing/session';
import { SessionStore } from '../../../core/auth/session.store';
import { StepUpDialog } from '../../../core/auth/step-up-dialog';
import { errorInterceptor } from '../../../core/http/error.interceptor';
import { STEP_UP_HANDLED_BY_CALLER } from '../../../core/http/http-context';
import { Clock } from '../../../core/time/clock';
import { NO_FILTERS } from './audit-filters';
import { AUDIT_PAGE_SIZE, AuditStore } from './audit.store';
import { SHA256 } from './inclusion-proof';

/** Stands in for MatDialog (as in step-up.service.spec.ts): step-up "closes" with `result`. */
class FakeDialog {
  readonly opened: unknown[] = [];
  result: boolean | undefined = true;

  open(component: unknown): { afterClosed: () => Observable<boolean | undefined> } {
    this.opened.push(component);
    return { afterClosed: () => of(this.result) };
  }
}

/** 5 January 2026, 14:00 on this machine's clock (the file is named after the local date). */
const NOW = new Date(2026, 0, 5, 14, 0, 0).getTime();

function page(events: AccessEventPage['events'], nextBefore: number | null): AccessEventPage {
  return { events, nextBefore };
}

describe('AuditStore', () => {
  let store: AuditStore;
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
        { provide: SHA256, useValue: fakeSha256 },
        { provide: Clock, useValue: { now: () => NOW } },
        AuditStore,
      ],
    });
    store = TestBed.inject(AuditStore);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    backend.verify();
  });

  function expectEvents(): TestRequest {
    return backend.expectOne((request) => request.url === '/api/audit/events');
  }

  function params(request: TestRequest): Record<string, string> {
    const { params } = request.request;
    return Object.fromEntries(params.keys().map((key) => [key, params.get(key) ?? '']));
  }

  /** Loads the first page of events under the current filters. */
  function firstPage(events = eventRange(120, 71), nextBefore: number | null = 71): TestRequest {
    store.reload();
    const request = expectEvents();
    request.flush(page(events, nextBefore));
    return request;
  }

  describe('loading', () => {
    it('asks for the integrity check, the anomalies and the newest events at once', () => {
      store.load();

      expect(store.chain()).toEqual({ kind: 'loading' });
      expect(store.anomalies()).toEqual({ kind: 'loading' });
      expect(store.loading()).toBe(true);
      const events = expectEvents();
      expect(params(events)).toEqual({ limit: String(AUDIT_PAGE_SIZE) });
      backend.expectOne('/api/audit/verify').flush(verification());
      backend.expectOne('/api/audit/anomalies').flush([anomaly()]);
      events.flush(page(eventRange(120, 71), 71));

      expect(store.chain()).toEqual({ kind: 'verified', verification: verification() });
      expect(store.verifiedCheckpoint()).toEqual(checkpoint());
      expect(store.anomalies()).toEqual({ kind: 'ready', anomalies: [anomaly()] });
      expect(store.loading()).toBe(false);
      expect(store.events().map((event) => event.seq)).toEqual(
        Array.from({ length: 50 }, (_, i) => 120 - i),
      );
      expect(store.nextBefore()).toBe(71);
    });

    it('reports a failed verification with the first bad index, not as an error', () => {
      store.verify();
      const failed = verification({
        status: 'failed',
        firstBadIndex: 17,
        problem: 'leaf 17 does not match',
      });
      backend.expectOne('/api/audit/verify').flush(failed);

      expect(store.chain()).toEqual({ kind: 'failed', verification: failed });
      expect(store.verifiedCheckpoint()).toEqual(failed.latestCheckpoint);
    });

    it('keeps a verification that could not run apart from a failed one', () => {
      store.verify();
      backend
        .expectOne('/api/audit/verify')
        .flush(apiError('internal_error'), { status: 500, statusText: 'Error' });

      expect(store.chain()).toMatchObject({ kind: 'error', error: { code: 'internal_error' } });
      expect(store.verifiedCheckpoint()).toBeNull();
    });

    it('verifies again on request, dropping an answer still in flight', () => {
      store.verify();
      const first = backend.expectOne('/api/audit/verify');
      store.verify();
      const second = backend.expectOne('/api/audit/verify');

      expect(first.cancelled).toBe(true);
      second.flush(verification({ checkedEvents: 1300 }));
      expect(store.chain()).toMatchObject({
        kind: 'verified',
        verification: { checkedEvents: 1300 },
      });
    });

    it('says when the events could not be loaded', () => {
      store.reload();
      expectEvents().flush(apiError('forbidden'), { status: 403, statusText: 'Forbidden' });

      expect(store.loading()).toBe(false);
      expect(store.error()).toMatchObject({ code: 'forbidden' });
      expect(store.events()).toEqual([]);
    });
  });

  describe('filters', () => {
    it('sends every filter that is set, and nothing else', () => {
      store.applyFilters({
        actor: BEN_ID,
        actorName: 'Ben',
        action: 'auth.sign_in_failed',
        resource: 'P-7K2Q9',
        outcome: 'denied',
        from: '2026-01-04T23:00:00.000Z',
        to: '2026-01-05T22:59:59.999Z',
      });

      const request = expectEvents();
      expect(params(request)).toEqual({
        actor: BEN_ID,
        action: 'auth.sign_in_failed',
        resource: 'P-7K2Q9',
        outcome: 'denied',
        from: '2026-01-04T23:00:00.000Z',
        to: '2026-01-05T22:59:59.999Z',
        limit: '50',
      });
      expect(store.filtered()).toBe(true);
      request.flush(page([], null));
    });

    it('clears the list at once, and drops the answer to the previous filters', () => {
      firstPage();
      store.applyFilters({ ...NO_FILTERS, outcome: 'denied' });
      const denied = expectEvents();
      expect(store.events()).toEqual([]);
      expect(store.loading()).toBe(true);

      store.clearFilters();
      const all = expectEvents();
      expect(denied.cancelled).toBe(true);
      expect(params(all)).toEqual({ limit: '50' });
      expect(store.filtered()).toBe(false);
      all.flush(page([accessEvent({ seq: 3 })], null));

      expect(store.events().map((event) => event.seq)).toEqual([3]);
    });

    it('narrows the current filters to one actor', () => {
      store.applyFilters({ ...NO_FILTERS, outcome: 'denied' });
      expectEvents().flush(page([], null));

      store.filterByActor(CHI_ID, 'Chi');

      expect(params(expectEvents())).toEqual({ actor: CHI_ID, outcome: 'denied', limit: '50' });
      expect(store.filters()).toMatchObject({ actor: CHI_ID, actorName: 'Chi' });
    });

    it("shows an anomaly's events: its actor and exact time range, no other filter", () => {
      store.applyFilters({ ...NO_FILTERS, outcome: 'denied' });
      expectEvents().flush(page([], null));

      store.showAnomaly(anomaly());

      expect(params(expectEvents())).toEqual({
        actor: BEN_ID,
        from: '2026-01-05T22:10:00.000Z',
        to: '2026-01-05T22:58:30.000Z',
        limit: '50',
      });
    });

    it('shows an anomaly without a known actor by its time range only', () => {
      store.showAnomaly(anomaly({ kind: 'repeated_denials', actorId: null, actorName: null }));

      expect(params(expectEvents())).toEqual({
        from: '2026-01-05T22:10:00.000Z',
        to: '2026-01-05T22:58:30.000Z',
        limit: '50',
      });
    });
  });

  describe('older events', () => {
    it('asks for events before nextBefore, under the same filters, and appends them', () => {
      store.applyFilters({ ...NO_FILTERS, actor: BEN_ID });
      expectEvents().flush(page(eventRange(120, 71), 71));

      store.loadOlder();
      expect(store.loadingOlder()).toBe(true);
      const older = expectEvents();
      expect(params(older)).toEqual({ actor: BEN_ID, before: '71', limit: '50' });
      older.flush(page(eventRange(70, 21), 21));

      expect(store.events()).toHaveLength(100);
      expect(store.events()[50]?.seq).toBe(70);
      expect(store.nextBefore()).toBe(21);
      expect(store.loadingOlder()).toBe(false);
    });

    it('stops when there are no older events', () => {
      firstPage(eventRange(20, 1), 1);
      store.loadOlder();
      expectEvents().flush(page([accessEvent({ seq: 0 })], null));

      expect(store.nextBefore()).toBeNull();
      store.loadOlder();
      backend.expectNone((request) => request.url === '/api/audit/events');
      expect(store.events()).toHaveLength(21);
    });

    it('asks once while a page is loading, and never lists an event twice', () => {
      firstPage(eventRange(10, 6), 6);
      store.loadOlder();
      store.loadOlder();
      const older = expectEvents();
      older.flush(page([accessEvent({ seq: 6 }), accessEvent({ seq: 5 })], null));

      expect(store.events().map((event) => event.seq)).toEqual([10, 9, 8, 7, 6, 5]);
    });

    it('keeps the list when an older page fails', () => {
      firstPage();
      store.loadOlder();
      expectEvents().error(new ProgressEvent('error'));

      expect(store.events()).toHaveLength(50);
      expect(store.olderError()).toMatchObject({ code: 'network_error' });
      expect(store.nextBefore()).toBe(71);
    });

    it('drops an older page that arrives after new filters were applied', () => {
      firstPage();
      store.loadOlder();
      const older = expectEvents();
      store.applyFilters({ ...NO_FILTERS, outcome: 'failure' });
      const filtered = expectEvents();

      expect(older.cancelled).toBe(true);
      filtered.flush(page([accessEvent({ seq: 9, outcome: 'failure' })], null));
      expect(store.events().map((event) => event.seq)).toEqual([9]);
    });
  });

  describe('export', () => {
    it('asks for step-up first when none is fresh, then downloads the filtered log as CSV: no refused request', async () => {
      store.applyFilters({ ...NO_FILTERS, actor: BEN_ID, outcome: 'denied' });
      expectEvents().flush(page([], null));
      const exported = lastValueFrom(store.exportCsv());
      await settle();

      expect(dialog.opened).toEqual([StepUpDialog]);
      const request = backend.expectOne((r) => r.url === '/api/audit/export');
      expect(params(request)).toEqual({ actor: BEN_ID, outcome: 'denied' });
      expect(request.request.responseType).toBe('text');
      expect(request.request.headers.get('Accept')).toBe('text/csv');
      expect(request.request.context.get(STEP_UP_HANDLED_BY_CALLER)).toBe(true);
      request.flush('seq,occurredAt\n5,2026-01-05T09:00:05Z\n');

      expect(await exported).toEqual({
        fileName: 'harbour-access-log-2026-01-05.csv',
        csv: 'seq,occurredAt\n5,2026-01-05T09:00:05Z\n',
      });
      expect(snackBar.opened).toEqual([]);
    });

    it('with a fresh step-up, exports at once, and asks again only if the API still refuses', async () => {
      TestBed.inject(SessionStore).signIn(
        sessionInfo({ roles: ['auditor'], stepUpUntil: new Date(NOW + 300_000).toISOString() }),
      );
      const exported = lastValueFrom(store.exportCsv());
      backend
        .expectOne((request) => request.url === '/api/audit/export')
        .flush(JSON.stringify(apiError('step_up_required')), {
          status: 403,
          statusText: 'Forbidden',
        });
      await settle();
      expect(dialog.opened).toEqual([StepUpDialog]);
      backend.expectOne((request) => request.url === '/api/audit/export').flush('seq\n');
      expect(await exported).toMatchObject({ csv: 'seq\n' });
    });

    it('exports nothing, and asks the API nothing, when step-up is cancelled', async () => {
      dialog.result = false;
      const exported = lastValueFrom(store.exportCsv().pipe(toArray()));
      await settle();

      expect(await exported).toEqual([]);
      backend.expectNone((request) => request.url === '/api/audit/export');
    });
  });

  describe('inclusion proofs', () => {
    it('proves an event against the verified checkpoint, and checks the proof here', async () => {
      const { proof, checkpoint: signed } = await provenEvent(5, 13);
      store.verify();
      backend.expectOne('/api/audit/verify').flush(verification({ latestCheckpoint: signed }));

      const result = lastValueFrom(store.inclusion(accessEvent({ seq: 5 })));
      const request = backend.expectOne((r) => r.url === '/api/audit/proofs/inclusion');
      expect(params(request)).toEqual({ seq: '5', treeSize: '13' });
      request.flush(proof);

      expect(await result).toEqual({ kind: 'included', checkpoint: signed, proof, check: 'match' });
    });

    it('flags a proof that does not lead to the signed root', async () => {
      const { proof, checkpoint: signed } = await provenEvent(5, 13);
      store.verify();
      backend.expectOne('/api/audit/verify').flush(verification({ latestCheckpoint: signed }));

      const result = lastValueFrom(store.inclusion(accessEvent({ seq: 5 })));
      const tampered = { ...proof, proof: [...proof.proof].reverse() };
      backend.expectOne((r) => r.url === '/api/audit/proofs/inclusion').flush(tampered);

      expect(await result).toMatchObject({ kind: 'included', check: 'mismatch' });
    });

    it('asks for the latest checkpoint when the verified one does not cover the event', async () => {
      store.verify();
      backend
        .expectOne('/api/audit/verify')
        .flush(verification({ latestCheckpoint: checkpoint({ treeSize: 10 }) }));
      const { proof, checkpoint: newer } = await provenEvent(12, 16);

      const result = lastValueFrom(store.inclusion(accessEvent({ seq: 12 })));
      backend.expectOne('/api/audit/checkpoints/latest').flush(newer);
      const request = backend.expectOne((r) => r.url === '/api/audit/proofs/inclusion');
      expect(params(request)).toEqual({ seq: '12', treeSize: '16' });
      request.flush(proof);

      expect(await result).toMatchObject({ kind: 'included', check: 'match' });
    });

    it('says "not yet covered" when no checkpoint covers the event', async () => {
      const result = lastValueFrom(store.inclusion(accessEvent({ seq: 1300 })));
      backend.expectOne('/api/audit/checkpoints/latest').flush(checkpoint({ treeSize: 1200 }));

      expect(await result).toEqual({
        kind: 'notCovered',
        checkpoint: checkpoint({ treeSize: 1200 }),
      });
      backend.expectNone((r) => r.url === '/api/audit/proofs/inclusion');
    });

    it('says "not yet covered", quietly, when no checkpoint has been signed yet', async () => {
      const result = lastValueFrom(store.inclusion(accessEvent({ seq: 3 })));
      backend
        .expectOne('/api/audit/checkpoints/latest')
        .flush(apiError('not_found'), { status: 404, statusText: 'Not Found' });

      expect(await result).toEqual({ kind: 'notCovered', checkpoint: null });
      expect(snackBar.opened).toEqual([]);
    });
  });
});
