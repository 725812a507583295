import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { createEnvironmentInjector, EnvironmentInjector } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { errorInterceptor } from '../../../core/http/error.interceptor';
import { FakeSnackBar } from '../../../../testing/fake-snack-bar';
import { provideTranslocoTesting } from '../../../../testing/i18n';
import { PersonStore } from './person.store';

/** Notes read back on a person's page: asked for one contact at a time, kept in memory only. */
describe('PersonStore notes', () => {
  let injector: EnvironmentInjector;
  let store: PersonStore;
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
    injector = createEnvironmentInjector([PersonStore], TestBed.inject(EnvironmentInjector));
    store = injector.get(PersonStore);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => backend.verify());

  it('reads one contact’s note when asked, hides it again, and forgets every note with the page', () => {
    expect(store.notes()).toEqual({});
    store.readNote('c-1');
    backend.expectOne('/api/contacts/c-1').flush({ id: 'c-1', notes: 'Call back on Friday.' });
    store.readNote('c-2');
    backend.expectOne('/api/contacts/c-2').flush({ id: 'c-2', notes: null });
    expect(store.notes()).toEqual({ 'c-1': 'Call back on Friday.', 'c-2': null });

    store.hideNote('c-1');
    expect(store.notes()).toEqual({ 'c-2': null });

    injector.destroy();
    expect(store.notes()).toEqual({});
  });

  it('shows the error and keeps no note when the read is refused', () => {
    store.readNote('c-9');
    backend
      .expectOne('/api/contacts/c-9')
      .flush({ code: 'forbidden', message: 'no' }, { status: 403, statusText: 'Forbidden' });
    expect(store.notes()).toEqual({});
    expect(store.error()).not.toBeNull();
  });
});
