import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import type { HealthStatus } from '@harbour/domain';
import { errorInterceptor } from '../../../core/http/error.interceptor';
import { FakeSnackBar } from '../../../../testing/fake-snack-bar';
import { provideTranslocoTesting } from '../../../../testing/i18n';
import { HomeStore } from './home.store';

const READY: HealthStatus = { status: 'ok', checks: { database: 'ok' } };
const DATABASE_DOWN: HealthStatus = { status: 'unavailable', checks: { database: 'unavailable' } };

describe('HomeStore', () => {
  let store: HomeStore;
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
        HomeStore,
      ],
    });
    store = TestBed.inject(HomeStore);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    backend.verify();
  });

  it('is loading while the request is in flight', () => {
    store.refresh();

    const request = backend.expectOne('/health/ready');
    expect(request.request.method).toBe('GET');
    expect(store.status()).toEqual({ kind: 'loading' });
    expect(store.loading()).toBe(true);
    request.flush(READY);
  });

  it('is ready when the API answers 200 with status ok', () => {
    store.refresh();
    backend.expectOne('/health/ready').flush(READY);

    expect(store.status()).toEqual({ kind: 'ready' });
    expect(store.loading()).toBe(false);
  });

  it('reads the 503 health report as "database unavailable", without an error message', () => {
    store.refresh();
    backend
      .expectOne('/health/ready')
      .flush(DATABASE_DOWN, { status: 503, statusText: 'Service Unavailable' });

    expect(store.status()).toEqual({ kind: 'unavailable', databaseUnavailable: true });
    expect(snackBar.opened).toEqual([]);
  });

  it('keeps a 503 with an API error body as an error (and the interceptor shows it)', () => {
    store.refresh();
    backend
      .expectOne('/health/ready')
      .flush(
        { code: 'service_unavailable', message: 'x', correlationId: 'r-1' },
        { status: 503, statusText: 'Service Unavailable' },
      );

    expect(store.status()).toMatchObject({
      kind: 'error',
      error: { code: 'service_unavailable', status: 503, correlationId: 'r-1' },
    });
    expect(snackBar.opened).toHaveLength(1);
  });

  it('reports a network failure as an error', () => {
    store.refresh();
    backend.expectOne('/health/ready').error(new ProgressEvent('error'));

    expect(store.status()).toMatchObject({ kind: 'error', error: { code: 'network_error' } });
  });

  it('drops an answer still in flight when refreshed again', () => {
    store.refresh();
    const first = backend.expectOne('/health/ready');
    store.refresh();
    const second = backend.expectOne('/health/ready');

    expect(first.cancelled).toBe(true);
    second.flush(READY);
    expect(store.status()).toEqual({ kind: 'ready' });
  });
});
