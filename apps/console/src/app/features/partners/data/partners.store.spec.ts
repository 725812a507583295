import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { createEnvironmentInjector, EnvironmentInjector } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import type { PartnerView } from '@harbour/domain';
import { errorInterceptor } from '../../../core/http/error.interceptor';
import { FakeSnackBar } from '../../../../testing/fake-snack-bar';
import { provideTranslocoTesting } from '../../../../testing/i18n';
import { PartnersStore } from './partners.store';

const PARTNER = { id: 'pa-1', name: 'Riverside Clinic', active: true, version: 5 } as PartnerView;

/** An admin's changes to a partner (issue 17): with the version read, conflicts said plainly. */
describe('PartnersStore.update', () => {
  let injector: EnvironmentInjector;
  let store: PartnersStore;
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
    injector = createEnvironmentInjector([PartnersStore], TestBed.inject(EnvironmentInjector));
    store = injector.get(PartnersStore);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    injector.destroy();
    backend.verify();
  });

  it('deactivates with the version read, then asks for the directory again', () => {
    let done = 0;
    store.update(PARTNER, { active: false }, 'corrections.partners.deactivated', () => done++);
    const req = backend.expectOne('/api/partners/pa-1');
    expect(req.request.method).toBe('PATCH');
    expect(req.request.body).toEqual({ active: false, version: 5 });
    req.flush({ ...PARTNER, active: false, version: 6 });
    expect(store.saved()).toBe('corrections.partners.deactivated');
    expect(store.saving()).toBe(false);
    expect(done).toBe(1);
  });

  it('says someone changed it first on a stale version, and reloads without a pop-up', () => {
    let done = 0;
    store.update(PARTNER, { name: 'Renamed' }, 'corrections.partners.saved', () => done++);
    backend
      .expectOne('/api/partners/pa-1')
      .flush(
        { code: 'version_conflict', message: 'x', correlationId: 'c-1' },
        { status: 409, statusText: 'Conflict' },
      );
    expect(store.saved()).toBe('corrections.conflict');
    expect(store.saveError()).toBeNull();
    expect(snackBar.opened).toEqual([]);
    expect(done).toBe(1);
  });

  it('shows other failures in place and changes nothing else', () => {
    let done = 0;
    store.update(PARTNER, { name: '' }, 'corrections.partners.saved', () => done++);
    backend
      .expectOne('/api/partners/pa-1')
      .flush(
        { code: 'validation_failed', message: 'x', correlationId: 'c-2' },
        { status: 400, statusText: 'Bad Request' },
      );
    expect(store.saveError()?.code).toBe('validation_failed');
    expect(store.saved()).toBeNull();
    expect(done).toBe(0);
  });
});
