import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { createEnvironmentInjector, EnvironmentInjector } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { generatePersonCode, type CreateContactRequest, type PersonView } from '@harbour/domain';
import { errorInterceptor } from '../../../core/http/error.interceptor';
import { FakeSnackBar } from '../../../../testing/fake-snack-bar';
import { provideTranslocoTesting } from '../../../../testing/i18n';
import { LogContactStore, type ContactPerson } from './log-contact.store';

const CODE = generatePersonCode((b) => b.fill(3));
const EXISTING_ID = '0190a3c5-0000-7000-8000-00000000000a';

const person = (id: string, code: string): PersonView => ({
  id,
  code,
  version: 1,
  ageBand: 'unknown',
  regionOfOrigin: 'unknown',
  languageGroup: null,
  genderIdentity: null,
  consentToReporting: false,
  hasIdentity: true,
  identityFields: ['givenName', 'familyName'],
  erasedAt: null,
  mergedInto: null,
  restricted: false,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

const newPerson: ContactPerson = {
  kind: 'new',
  request: { identity: { givenName: 'Malai', familyName: 'Srisuk' } },
};
const contact = (personId: string | null): CreateContactRequest => ({
  ...(personId === null ? {} : { personId }),
  occurredOn: '2026-03-20',
  channel: 'phone',
  locationType: 'online_or_phone',
});

describe('LogContactStore: a new person who may already be recorded', () => {
  let store: LogContactStore;
  let backend: HttpTestingController;
  let snackBar: FakeSnackBar;
  let done: number;

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
    const injector = createEnvironmentInjector(
      [LogContactStore],
      TestBed.inject(EnvironmentInjector),
    );
    store = injector.get(LogContactStore);
    backend = TestBed.inject(HttpTestingController);
    done = 0;
  });

  afterEach(() => backend.verify());

  function refuseAsDuplicate(): string {
    store.save(newPerson, contact, () => done++);
    const create = backend.expectOne('/api/persons');
    expect(create.request.body).toMatchObject({ checkDuplicates: true });
    const key = create.request.headers.get('Idempotency-Key')!;
    create.flush(
      {
        code: 'possible_duplicate',
        message: 'This person may already be recorded.',
        correlationId: 'c-1',
        candidates: [
          { id: EXISTING_ID, code: CODE, matchedOn: ['name'], lastSeenOn: '2026-02-27' },
        ],
      },
      { status: 409, statusText: 'Conflict' },
    );
    return key;
  }

  it('asks the API to check, and shows the candidates instead of an error', () => {
    refuseAsDuplicate();
    expect(store.duplicates().map((c) => c.code)).toEqual([CODE]);
    expect(store.error()).toBeNull();
    expect(store.saving()).toBe(false);
    expect(snackBar.opened).toEqual([]);
    expect(done).toBe(0);
  });

  it('"Create anyway" creates the person without the check, as a new request, then the contact', () => {
    const first = refuseAsDuplicate();
    store.createAnyway();
    const create = backend.expectOne('/api/persons');
    expect(create.request.body).toEqual(newPerson.request);
    expect(create.request.headers.get('Idempotency-Key')).not.toBe(first);
    create.flush(person('0190a3c5-0000-7000-8000-00000000000b', generatePersonCode()));
    const logged = backend.expectOne('/api/contacts');
    expect(logged.request.body).toMatchObject({ personId: '0190a3c5-0000-7000-8000-00000000000b' });
    logged.flush({ personCode: 'x', personId: '0190a3c5-0000-7000-8000-00000000000b' });
    expect(done).toBe(1);
    expect(store.duplicates()).toEqual([]);
  });

  it('"Use this person" logs the contact with the person already recorded, creating nobody', () => {
    refuseAsDuplicate();
    store.useCandidate(store.duplicates()[0]!);
    backend.expectOne(`/api/persons/${EXISTING_ID}`).flush(person(EXISTING_ID, CODE));
    const logged = backend.expectOne('/api/contacts');
    expect(logged.request.body).toMatchObject({ personId: EXISTING_ID });
    logged.flush({ personCode: CODE, personId: EXISTING_ID });
    backend.expectNone('/api/persons');
    expect(done).toBe(1);
  });
});
