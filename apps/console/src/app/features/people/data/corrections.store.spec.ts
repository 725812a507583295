import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { createEnvironmentInjector, EnvironmentInjector } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import type { NeedView, PersonView } from '@harbour/domain';
import { errorInterceptor } from '../../../core/http/error.interceptor';
import { FakeSnackBar } from '../../../../testing/fake-snack-bar';
import { provideTranslocoTesting } from '../../../../testing/i18n';
import { CorrectionsStore } from './corrections.store';

const PERSON = { id: 'p-1', version: 3 } as PersonView;

function need(overrides: Partial<NeedView> = {}): NeedView {
  return {
    id: 'n-1',
    personId: 'p-1',
    contactId: null,
    category: 'housing',
    priority: 'medium',
    status: 'identified',
    identifiedOn: '2026-03-10',
    closedOn: null,
    version: 1,
    ...overrides,
  };
}

describe('CorrectionsStore', () => {
  let injector: EnvironmentInjector;
  let store: CorrectionsStore;
  let backend: HttpTestingController;
  let snackBar: FakeSnackBar;

  beforeEach(() => {
    snackBar = new FakeSnackBar();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([errorInterceptor])),
        provideHttpClientTesting(),
        provideTranslocoTesting(),
        { provide: MatSnackBar, useValue: snackBar },
      ],
    });
    injector = createEnvironmentInjector([CorrectionsStore], TestBed.inject(EnvironmentInjector));
    store = injector.get(CorrectionsStore);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    injector.destroy();
    backend.verify();
  });

  it('sends a correction with the version read and hands back the person as they now are', () => {
    let done: PersonView | null | undefined;
    store
      .correctingDetails(PERSON, { version: 3, ageBand: '35_44' }, (p) => (done = p))
      .subscribe();
    const req = backend.expectOne('/api/persons/p-1');
    expect(req.request.method).toBe('PATCH');
    expect(req.request.body).toEqual({ version: 3, ageBand: '35_44' });
    req.flush({ ...PERSON, version: 4 });
    expect(done).toMatchObject({ version: 4 });
    expect(store.notice()).toBe('corrections.details.saved');
    expect(store.busy()).toBe(false);
  });

  it('gives a refused correction back to its dialog, not to the panel', () => {
    let refused: unknown = null;
    let done: PersonView | null | undefined;
    store
      .correctingDetails(PERSON, { version: 3, ageBand: '35_44' }, (p) => (done = p))
      .subscribe({ error: (error: unknown) => (refused = error) });
    backend.expectOne('/api/persons/p-1').flush(
      {
        code: 'validation_failed',
        message: 'x',
        correlationId: 'c-2',
        fields: [{ path: 'identity.phone', reason: 'isPhoneNumber' }],
      },
      { status: 400, statusText: 'Bad Request' },
    );
    expect(refused).not.toBeNull();
    expect(done).toBeUndefined();
    expect(store.error()).toBeNull();
  });

  it('says plainly when the person was changed by someone else, and lets the page reload', () => {
    let done: PersonView | null | undefined;
    let finished = false;
    store
      .correctingDetails(PERSON, { version: 3, ageBand: '35_44' }, (p) => (done = p))
      .subscribe({ complete: () => (finished = true) });
    backend
      .expectOne('/api/persons/p-1')
      .flush(
        { code: 'version_conflict', message: 'x', correlationId: 'c-1' },
        { status: 409, statusText: 'Conflict' },
      );
    expect(done).toBeNull();
    // The dialog closes: the page reads the person again and says why.
    expect(finished).toBe(true);
    expect(store.notice()).toBe('corrections.conflict');
    expect(store.error()).toBeNull();
    expect(snackBar.opened).toEqual([]);
  });

  it('adds a need to the person with one Idempotency-Key per addition, then lists their needs', () => {
    store.addingNeed('p-1', { category: 'housing', priority: 'high' }).subscribe();
    const first = backend.expectOne('/api/needs');
    expect(first.request.body).toEqual({ personId: 'p-1', category: 'housing', priority: 'high' });
    const key = first.request.headers.get('Idempotency-Key');
    expect(key).toBeTruthy();
    first.flush(need());
    backend.expectOne('/api/needs?person=p-1').flush([need()]);
    expect(store.needs()).toEqual([need()]);
    expect(store.notice()).toBe('corrections.needs.added');

    store.addingNeed('p-1', { category: 'legal' }).subscribe();
    const second = backend.expectOne('/api/needs');
    expect(second.request.headers.get('Idempotency-Key')).not.toBe(key);
    second.flush(need({ id: 'n-2' }));
    backend.expectOne('/api/needs?person=p-1').flush([]);
  });

  it('gives a refused need back to its dialog and keeps its Idempotency-Key for the retry', () => {
    let refused: unknown = null;
    store
      .addingNeed('p-1', { category: 'housing' })
      .subscribe({ error: (error: unknown) => (refused = error) });
    const failed = backend.expectOne('/api/needs');
    const key = failed.request.headers.get('Idempotency-Key');
    failed.flush(
      {
        code: 'validation_failed',
        message: 'x',
        correlationId: 'c-3',
        fields: [{ path: 'category', reason: 'isIn' }],
      },
      { status: 400, statusText: 'Bad Request' },
    );
    expect(refused).not.toBeNull();
    // The dialog shows it; the panel's banner does not say it twice.
    expect(store.error()).toBeNull();
    store.addingNeed('p-1', { category: 'housing' }).subscribe();
    expect(backend.expectOne('/api/needs').request.headers.get('Idempotency-Key')).toBe(key);
  });

  it('keeps the Idempotency-Key of an amendment across a retry after a failure', () => {
    const body = { reason: 'Written on the wrong visit', notes: 'Corrected.' };
    store.amendContact('c-1', body, () => undefined);
    const failed = backend.expectOne('/api/contacts/c-1/amendments');
    const key = failed.request.headers.get('Idempotency-Key');
    failed.flush(
      { code: 'validation_failed', message: 'x', correlationId: 'c-2' },
      { status: 400, statusText: 'Bad Request' },
    );
    expect(store.error()?.code).toBe('validation_failed');
    let done = false;
    store.amendContact('c-1', body, () => (done = true));
    const retry = backend.expectOne('/api/contacts/c-1/amendments');
    expect(retry.request.headers.get('Idempotency-Key')).toBe(key);
    expect(retry.request.body).toEqual(body);
    retry.flush({ id: 'c-1', amended: true });
    expect(done).toBe(true);
    expect(store.notice()).toBe('corrections.contact.saved');
  });

  it("reads a contact's corrections on request and forgets them when hidden", () => {
    store.readHistory('c-1');
    const amendments = [
      {
        id: 'a-1',
        createdBy: 'u-1',
        createdAt: '2026-03-10T12:00:00.000Z',
        fields: ['notes'],
        reason: 'Wrong visit',
      },
    ];
    backend.expectOne('/api/contacts/c-1').flush({ id: 'c-1', notes: 'x', amendments });
    expect(store.history()).toEqual(amendments);
    store.hideHistory();
    expect(store.history()).toBeNull();
  });
});
