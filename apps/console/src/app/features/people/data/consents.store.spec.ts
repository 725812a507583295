import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { createEnvironmentInjector, EnvironmentInjector } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { CONSENT_PURPOSES, type ConsentView } from '@harbour/domain';
import { errorInterceptor } from '../../../core/http/error.interceptor';
import { FakeSnackBar } from '../../../../testing/fake-snack-bar';
import { provideTranslocoTesting } from '../../../../testing/i18n';
import { ConsentsStore } from './consents.store';

const URL = '/api/persons/p-1/consents';
const PURPOSE = CONSENT_PURPOSES[0];

function consent(overrides: Partial<ConsentView> = {}): ConsentView {
  return {
    id: 'c-1',
    personId: 'p-1',
    purpose: PURPOSE,
    method: 'verbal',
    givenAt: '2026-01-01T00:00:00.000Z',
    givenBy: 'u-1',
    revokedAt: null,
    revokedBy: null,
    version: 1,
    ...overrides,
  };
}

describe('ConsentsStore', () => {
  let injector: EnvironmentInjector;
  let store: ConsentsStore;
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
    // The store's life is its own injector's, as it is the panel's in the page.
    injector = createEnvironmentInjector([ConsentsStore], TestBed.inject(EnvironmentInjector));
    store = injector.get(ConsentsStore);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    backend.verify();
  });

  it('reads the consents in force and the purposes still available', () => {
    store.open('p-1');
    backend.expectOne(URL).flush([consent(), consent({ id: 'c-0', revokedAt: 'x' })]);

    expect(store.inForce().map((c) => c.id)).toEqual(['c-1']);
    expect(store.available()).not.toContain(PURPOSE);
    expect(store.available()).toHaveLength(CONSENT_PURPOSES.length - 1);
  });

  it('records a consent with an idempotency key, says so, runs `done` and reads them again', () => {
    store.open('p-1');
    backend.expectOne(URL).flush([]);
    const done = jest.fn();

    store.record(PURPOSE, 'written', done);
    expect(store.busy()).toBe(true);
    store.record(PURPOSE, 'written', done);
    const request = backend.expectOne({ method: 'POST', url: URL });
    expect(request.request.body).toEqual({ purpose: PURPOSE, method: 'written' });
    expect(request.request.headers.get('Idempotency-Key')).toMatch(/\S/);
    request.flush(consent());

    expect(done).toHaveBeenCalledTimes(1);
    expect(store.notice()).toBe('cases.consents.recorded');
    expect(store.busy()).toBe(false);
    backend.expectOne({ method: 'GET', url: URL }).flush([consent()]);
    expect(store.inForce()).toHaveLength(1);
  });

  it('shows a failed revocation, does not run `done`, and reads the consents again', () => {
    store.open('p-1');
    backend.expectOne(URL).flush([consent()]);
    const done = jest.fn();

    store.revoke(consent(), done);
    backend
      .expectOne(`${URL}/c-1/revoke`)
      .flush(
        { code: 'version_conflict', message: 'x', correlationId: 'r-1' },
        { status: 409, statusText: 'Conflict' },
      );

    expect(done).not.toHaveBeenCalled();
    expect(store.error()).toMatchObject({ code: 'version_conflict', status: 409 });
    expect(store.notice()).toBeNull();
    expect(store.busy()).toBe(false);
    backend.expectOne({ method: 'GET', url: URL }).flush([consent()]);
  });

  it('sets nothing once it is gone, even when a request was in flight', () => {
    store.open('p-1');
    const request = backend.expectOne(URL);
    injector.destroy();

    expect(request.cancelled).toBe(true);
    expect(store.consents()).toEqual([]);
  });
});
