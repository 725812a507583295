import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { createEnvironmentInjector, EnvironmentInjector } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import type { KeyWorkerPersonView } from '@harbour/domain';
import { errorInterceptor } from '../../../core/http/error.interceptor';
import { FakeSnackBar } from '../../../../testing/fake-snack-bar';
import { provideTranslocoTesting } from '../../../../testing/i18n';
import { KeyWorkerPeopleStore } from './key-worker-people.store';

function person(code: string): KeyWorkerPersonView {
  return {
    personId: `p-${code}`,
    code,
    ageBand: 'unknown',
    regionOfOrigin: 'unknown',
    languageGroup: null,
    genderIdentity: null,
    restricted: false,
    assignedAt: '2026-01-01T00:00:00.000Z',
    lastContactOn: null,
    openNeeds: 0,
  };
}

/** "My people" and a coordinator's hand-over. */
describe('KeyWorkerPeopleStore', () => {
  let store: KeyWorkerPeopleStore;
  let backend: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([errorInterceptor])),
        provideHttpClientTesting(),
        provideTranslocoTesting(),
        { provide: MatSnackBar, useValue: new FakeSnackBar() },
      ],
    });
    const injector = createEnvironmentInjector(
      [KeyWorkerPeopleStore],
      TestBed.inject(EnvironmentInjector),
    );
    store = injector.get(KeyWorkerPeopleStore);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => backend.verify());

  it('reads my people page by page with the cursor the API gave', () => {
    store.open(null);
    backend.expectOne('/api/key-workers/mine').flush({ items: [person('A')], nextCursor: 'c1' });
    expect(store.hasMore()).toBe(true);
    store.more();
    backend
      .expectOne('/api/key-workers/mine?cursor=c1')
      .flush({ items: [person('B')], nextCursor: null });
    expect(store.people().map((p) => p.code)).toEqual(['A', 'B']);
    expect(store.hasMore()).toBe(false);
    store.more();
    backend.expectNone(() => true);
  });

  it('hands all of a worker’s people over without naming them, or only those chosen', () => {
    store.open('u-2');
    backend
      .expectOne('/api/key-workers/u-2/people')
      .flush({ items: [person('A')], nextCursor: null });
    store.handOver('u-3', null);
    const all = backend.expectOne({ method: 'POST', url: '/api/key-workers/hand-over' });
    expect(all.request.body).toEqual({ fromStaffId: 'u-2', toStaffId: 'u-3' });
    all.flush({
      id: 'h-1',
      fromStaffId: 'u-2',
      toStaffId: 'u-3',
      personIds: ['p-A'],
      count: 1,
      handedAt: 'x',
    });
    expect(store.receipt()?.count).toBe(1);
    backend.expectOne('/api/key-workers/u-2/people').flush({ items: [], nextCursor: null });

    store.handOver('u-3', ['p-B']);
    const some = backend.expectOne({ method: 'POST', url: '/api/key-workers/hand-over' });
    expect(some.request.body).toEqual({ fromStaffId: 'u-2', toStaffId: 'u-3', personIds: ['p-B'] });
    some.flush(
      { code: 'validation_failed', message: 'x', correlationId: 'r' },
      { status: 400, statusText: 'Bad' },
    );
    expect(store.error()?.code).toBe('validation_failed');
    expect(store.busy()).toBe(false);
  });
});
