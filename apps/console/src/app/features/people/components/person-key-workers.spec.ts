import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import type { ComponentFixture } from '@angular/core/testing';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import type { PersonKeyWorkers as KeyWorkersView, PersonView, Role } from '@harbour/domain';
import en from '../../../../assets/i18n/en.json';
import { byTestId, maybeByTestId, settle } from '../../../../testing/dom';
import { FakeSnackBar } from '../../../../testing/fake-snack-bar';
import { provideTranslocoTesting } from '../../../../testing/i18n';
import { provideNoAnimations } from '../../../../testing/material';
import { apiError, sessionInfo } from '../../../../testing/session';
import { SessionStore } from '../../../core/auth/session.store';
import { errorInterceptor } from '../../../core/http/error.interceptor';
import { provideAppIcons } from '../../../core/icons/icons';
import { PersonKeyWorkers } from './person-key-workers';

const URL = '/api/persons/p-1/key-workers';
const STAFF_URL = '/api/key-workers/staff';
const STAFF = [
  { id: 'u-1', displayName: 'Ana', roles: ['coordinator'], active: true },
  { id: 'u-2', displayName: 'Bo', roles: ['caseworker'], active: true },
  { id: 'u-3', displayName: 'Cy', roles: ['caseworker'], active: false },
];

function person(restricted: boolean): PersonView {
  return {
    id: 'p-1',
    code: 'HB-AAAA-BBBB',
    version: 3,
    ageBand: 'unknown',
    regionOfOrigin: 'unknown',
    languageGroup: null,
    genderIdentity: null,
    consentToReporting: false,
    hasIdentity: true,
    identityFields: ['givenName'],
    erasedAt: null,
    restricted,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}

function view(overrides: Partial<KeyWorkersView> = {}): KeyWorkersView {
  return {
    personId: 'p-1',
    restricted: false,
    keyWorkers: [],
    youAreKeyWorker: false,
    mayReadProtected: true,
    mayManage: false,
    ...overrides,
  };
}

/** The key-workers panel of a person's page. */
describe('PersonKeyWorkers', () => {
  let fixture: ComponentFixture<PersonKeyWorkers>;
  let backend: HttpTestingController;
  let access: boolean[];
  let changed: number;

  async function stable(): Promise<void> {
    await settle();
    TestBed.tick();
    fixture.detectChanges();
    await settle();
  }

  async function setUp(role: Role, p: PersonView, answer: KeyWorkersView): Promise<void> {
    TestBed.configureTestingModule({
      imports: [PersonKeyWorkers],
      providers: [
        provideHttpClient(withInterceptors([errorInterceptor])),
        provideHttpClientTesting(),
        provideTranslocoTesting(),
        provideNoAnimations(),
        provideAppIcons(),
        { provide: MatSnackBar, useValue: new FakeSnackBar() },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    TestBed.inject(SessionStore).signIn(sessionInfo({ roles: [role], id: 'u-1' }));
    fixture = TestBed.createComponent(PersonKeyWorkers);
    fixture.componentRef.setInput('person', p);
    fixture.componentRef.setInput('mayWrite', true);
    access = [];
    changed = 0;
    fixture.componentInstance.access.subscribe((value) => access.push(value));
    fixture.componentInstance.changed.subscribe(() => changed++);
    fixture.detectChanges();
    backend.expectOne(URL).flush(answer);
    if (answer.mayManage || answer.youAreKeyWorker) backend.expectOne(STAFF_URL).flush(STAFF);
    await stable();
  }

  afterEach(() => backend.verify());

  it('lets a caseworker become key worker of a person who is not restricted', async () => {
    await setUp('caseworker', person(false), view());
    expect(byTestId('key-workers-none').textContent).toContain(en.keyWorkers.none);
    expect(maybeByTestId('restricted-badge')).toBeNull();
    expect(maybeByTestId('restriction-toggle')).toBeNull();
    expect(access).toEqual([true]);

    byTestId('become-key-worker').click();
    const request = backend.expectOne({ method: 'POST', url: URL });
    expect(request.request.body).toEqual({ staffId: 'u-1' });
    request.flush(
      view({
        youAreKeyWorker: true,
        keyWorkers: [{ staffId: 'u-1', displayName: 'Ana', assignedAt: '2026-01-02T00:00:00Z' }],
      }),
    );
    // Now a key worker: the names of active colleagues, to hand the person on.
    backend.expectOne(STAFF_URL).flush(STAFF);
    await stable();
    expect(byTestId('key-worker').textContent).toContain('Ana');
    expect(byTestId('key-worker-remove').textContent).toContain(en.keyWorkers.stepDown);
    expect(maybeByTestId('become-key-worker')).toBeNull();

    byTestId('hand-over-to-colleague').click();
    await stable();
    const options = [...document.querySelectorAll<HTMLElement>('mat-option')];
    expect(options.map((o) => o.textContent.trim())).toEqual(['Bo']);
    options[0]!.click();
    await stable();
    byTestId('hand-over-person').click();
    const handOver = backend.expectOne({ method: 'POST', url: '/api/key-workers/hand-over' });
    expect(handOver.request.body).toEqual({
      fromStaffId: 'u-1',
      toStaffId: 'u-2',
      personIds: ['p-1'],
    });
    handOver.flush({
      id: 'h-1',
      fromStaffId: 'u-1',
      toStaffId: 'u-2',
      personIds: ['p-1'],
      count: 1,
      handedAt: '2026-01-03T00:00:00Z',
    });
    backend.expectOne(URL).flush(view());
    await stable();
    expect(document.body.textContent).toContain(en.keyWorkers.handedOver);
    expect(maybeByTestId('hand-over-to-colleague')).toBeNull();
  });

  it('shows a restricted person to another caseworker as code only, with no way to become key worker', async () => {
    await setUp(
      'caseworker',
      person(true),
      view({
        restricted: true,
        mayReadProtected: false,
        keyWorkers: [{ staffId: 'u-9', displayName: 'Dee', assignedAt: '2026-01-02T00:00:00Z' }],
      }),
    );
    expect(byTestId('restricted-badge').textContent).toContain(en.keyWorkers.restrictedBadge);
    expect(byTestId('restricted-explanation').textContent).toContain(
      en.keyWorkers.restrictedExplanation,
    );
    expect(maybeByTestId('become-key-worker')).toBeNull();
    expect(maybeByTestId('key-worker-remove')).toBeNull();
    expect(access).toEqual([false]);
  });

  it('lets a coordinator restrict a person only after confirming, with the person’s version', async () => {
    await setUp('coordinator', person(false), view({ mayManage: true }));
    byTestId('restriction-toggle').click();
    await stable();
    expect(byTestId('restriction-confirm-text').textContent).toContain(
      en.keyWorkers.confirmRestrict,
    );
    backend.expectNone('/api/persons/p-1/restriction');
    byTestId('restriction-confirm').click();
    const request = backend.expectOne({ method: 'POST', url: '/api/persons/p-1/restriction' });
    expect(request.request.body).toEqual({ restricted: true, version: 3 });
    request.flush(person(true));
    backend.expectOne(URL).flush(view({ restricted: true, mayManage: true }));
    await stable();
    expect(changed).toBe(1);
  });

  it('offers a coordinator the active case staff who are not key workers yet, and shows a refusal', async () => {
    await setUp(
      'coordinator',
      person(false),
      view({
        mayManage: true,
        keyWorkers: [{ staffId: 'u-1', displayName: 'Ana', assignedAt: '2026-01-02T00:00:00Z' }],
        youAreKeyWorker: true,
      }),
    );
    byTestId('key-worker-choose').click();
    await stable();
    const options = [...document.querySelectorAll<HTMLElement>('mat-option')];
    expect(options.map((o) => o.textContent.trim())).toEqual(['Bo']);
    options[0]!.click();
    await stable();
    byTestId('key-worker-add').click();
    const request = backend.expectOne({ method: 'POST', url: URL });
    expect(request.request.body).toEqual({ staffId: 'u-2' });
    request.flush(apiError('not_a_case_worker'), { status: 422, statusText: 'Unprocessable' });
    backend.expectOne(URL).flush(view({ mayManage: true }));
    await stable();
    expect(byTestId('key-workers-error').textContent).toContain(en.errors.not_a_case_worker);
  });
});
