import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import type { ComponentFixture } from '@angular/core/testing';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideRouter } from '@angular/router';
import { personCodeCheckSymbol, type PersonView } from '@harbour/domain';
import { byTestId, settle, type } from '../../../../testing/dom';
import { FakeSnackBar } from '../../../../testing/fake-snack-bar';
import { provideTranslocoTesting } from '../../../../testing/i18n';
import { provideNoAnimations } from '../../../../testing/material';
import { sessionInfo } from '../../../../testing/session';
import { StubPage } from '../../../../testing/stub-page';
import { SessionStore } from '../../../core/auth/session.store';
import { errorInterceptor } from '../../../core/http/error.interceptor';
import { provideAppIcons } from '../../../core/icons/icons';
import { MergePage } from './merge-page';

const A = '0190a3c5-0000-7000-8000-00000000000a';
const B = '0190a3c5-0000-7000-8000-00000000000b';
const codeOf = (symbols: string): string =>
  `HB-${symbols.slice(0, 4)}-${symbols.slice(4)}${personCodeCheckSymbol(symbols)}`;
const CODE_A = codeOf('AAAAAAA');
const CODE_B = codeOf('BBBBBBB');

const person = (id: string, code: string): PersonView => ({
  id,
  code,
  version: 3,
  ageBand: '25_34',
  regionOfOrigin: 'south_eastern_asia',
  languageGroup: 'thai',
  genderIdentity: null,
  consentToReporting: true,
  hasIdentity: true,
  identityFields: ['givenName'],
  erasedAt: null,
  mergedInto: null,
  restricted: false,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

/** The merge page's forms are handled in the page: submitting one never reloads the page. */
describe('MergePage', () => {
  let fixture: ComponentFixture<MergePage>;
  let backend: HttpTestingController;

  async function stable(): Promise<void> {
    await settle();
    TestBed.tick();
    fixture.detectChanges();
    await settle();
  }

  function load(id: string, code: string): void {
    backend.expectOne(`/api/persons/${id}`).flush(person(id, code));
    backend
      .expectOne((r) => r.url === '/api/contacts' && r.params.get('person') === id)
      .flush({ items: [], nextCursor: null });
    backend.expectOne((r) => r.url === '/api/referrals' && r.params.get('person') === id).flush([]);
  }

  function submit(form: HTMLFormElement): Event {
    const event = new Event('submit', { bubbles: true, cancelable: true });
    form.dispatchEvent(event);
    return event;
  }

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [MergePage],
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
    TestBed.inject(SessionStore).signIn(sessionInfo({ roles: ['coordinator'], id: 'u-1' }));
    fixture = TestBed.createComponent(MergePage);
    fixture.componentRef.setInput('a', A);
    fixture.detectChanges();
    load(A, CODE_A);
    await stable();
  });

  afterEach(() => backend.verify());

  it('finds the other record by its code without the browser submitting the form', async () => {
    type(byTestId<HTMLInputElement>('merge-other-code'), CODE_B.toLowerCase());
    const event = submit(byTestId('merge-find').closest('form')!);
    expect(event.defaultPrevented).toBe(true);
    const lookup = backend.expectOne('/api/persons/lookup');
    expect(lookup.request.body).toEqual({ code: CODE_B });
    lookup.flush([{ id: B, code: CODE_B, matchedOn: ['code'] }]);
    load(B, CODE_B);
    await stable();
    expect(byTestId('merge-absorbed').textContent).toContain(CODE_B);

    // The confirmation form is the page's too: a wrong code sends nothing, and nothing reloads.
    type(byTestId<HTMLInputElement>('merge-code'), CODE_A);
    await stable();
    expect(submit(byTestId('merge-confirm').closest('form')!).defaultPrevented).toBe(true);
  });
});
