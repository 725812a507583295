import { provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
  type TestRequest,
} from '@angular/common/http/testing';
import type { ComponentFixture } from '@angular/core/testing';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideRouter } from '@angular/router';
import type { ContactView, PersonKeyWorkers, PersonView, Role } from '@harbour/domain';
import en from '../../../../assets/i18n/en.json';
import { byTestId, maybeByTestId, settle } from '../../../../testing/dom';
import { FakeSnackBar } from '../../../../testing/fake-snack-bar';
import { provideTranslocoTesting } from '../../../../testing/i18n';
import { provideNoAnimations } from '../../../../testing/material';
import { sessionInfo } from '../../../../testing/session';
import { StubPage } from '../../../../testing/stub-page';
import { SessionStore } from '../../../core/auth/session.store';
import { errorInterceptor } from '../../../core/http/error.interceptor';
import { provideAppIcons } from '../../../core/icons/icons';
import { PersonPage } from './person-page';

const PERSON: PersonView = {
  id: 'p-1',
  code: 'HB-AAAA-BBBB',
  version: 2,
  ageBand: 'unknown',
  regionOfOrigin: 'unknown',
  languageGroup: null,
  genderIdentity: null,
  consentToReporting: false,
  hasIdentity: true,
  identityFields: ['givenName', 'familyName'],
  erasedAt: null,
  restricted: true,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

const CONTACT: ContactView = {
  id: 'c-1',
  kind: 'individual',
  personId: 'p-1',
  personCode: PERSON.code,
  headcount: 1,
  occurredOn: '2026-01-02',
  channel: 'phone',
  locationType: 'online_or_phone',
  languageGroup: null,
  interpreterUsed: false,
  peerLed: false,
  circumstances: [],
  hasNotes: true,
  amended: false,
  caseworkerId: 'u-9',
  createdAt: '2026-01-02T00:00:00.000Z',
  needs: [],
};

/** A restricted person's page: code only for someone who is not their key worker. */
describe('PersonPage, restricted person', () => {
  let fixture: ComponentFixture<PersonPage>;
  let backend: HttpTestingController;

  async function stable(): Promise<void> {
    await settle();
    TestBed.tick();
    fixture.detectChanges();
    await settle();
  }

  async function open(role: Role, mayReadProtected: boolean): Promise<void> {
    TestBed.configureTestingModule({
      imports: [PersonPage],
      providers: [
        provideHttpClient(withInterceptors([errorInterceptor])),
        provideHttpClientTesting(),
        provideTranslocoTesting(),
        provideNoAnimations(),
        provideAppIcons(),
        provideRouter([{ path: '**', component: StubPage }]),
        { provide: MatSnackBar, useValue: new FakeSnackBar() },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    TestBed.inject(SessionStore).signIn(sessionInfo({ roles: [role], id: 'u-1' }));
    fixture = TestBed.createComponent(PersonPage);
    fixture.componentRef.setInput('id', 'p-1');
    fixture.detectChanges();
    backend.expectOne('/api/persons/p-1').flush(PERSON);
    backend
      .expectOne((r) => r.url === '/api/contacts')
      .flush({ items: [CONTACT], nextCursor: null });
    backend.expectOne((r) => r.url === '/api/referrals').flush([]);
    backend.expectOne((r) => r.url === '/api/partners').flush([]);
    await stable();
    backend.expectOne('/api/persons/p-1/consents').flush([]);
    const keyWorkers: PersonKeyWorkers = {
      personId: 'p-1',
      restricted: true,
      keyWorkers: [],
      youAreKeyWorker: mayReadProtected && role === 'caseworker',
      mayReadProtected,
      mayManage: role === 'coordinator',
    };
    backend.expectOne('/api/persons/p-1/key-workers').flush(keyWorkers);
    backend.match('/api/key-workers/staff').forEach((r: TestRequest) => r.flush([]));
    // The other panels of the page (follow-ups, check-ins, needs outside a contact): empty.
    const others = (r: { url: string }): boolean =>
      r.url === '/api/follow-ups' ||
      r.url === '/api/follow-ups/assignees' ||
      r.url === '/api/persons/p-1/check-ins' ||
      r.url === '/api/persons/p-1/disclosures' ||
      r.url === '/api/needs';
    for (let round = 0; round < 3; round++) {
      backend.match(others).forEach((r: TestRequest) => r.flush([]));
      await stable();
    }
  }

  afterEach(() => backend.verify());

  it('replaces reveal and read-note with an explanation for a caseworker who is not a key worker', async () => {
    await open('caseworker', false);
    expect(byTestId('person-code').textContent).toContain(PERSON.code);
    expect(byTestId('restricted-badge')).toBeTruthy();
    expect(maybeByTestId('reveal-identity')).toBeNull();
    expect(maybeByTestId('read-note')).toBeNull();
    expect(byTestId('reveal-restricted').textContent).toContain(en.keyWorkers.codeOnly);
    expect(byTestId('note-restricted').textContent).toContain(en.keyWorkers.noteRestricted);
  });

  it('offers reveal and read-note to a key worker', async () => {
    await open('caseworker', true);
    expect(maybeByTestId('reveal-identity')).not.toBeNull();
    expect(maybeByTestId('read-note')).not.toBeNull();
    expect(maybeByTestId('note-restricted')).toBeNull();
  });
});
