import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import type { ComponentFixture } from '@angular/core/testing';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideRouter, Router } from '@angular/router';
import { generatePersonCode } from '@harbour/domain';
import en from '../../../../assets/i18n/en.json';
import { byTestId, maybeByTestId, settle, type } from '../../../../testing/dom';
import { FakeSnackBar } from '../../../../testing/fake-snack-bar';
import { provideTranslocoTesting } from '../../../../testing/i18n';
import { provideNoAnimations } from '../../../../testing/material';
import { sessionInfo } from '../../../../testing/session';
import { SessionStore } from '../../../core/auth/session.store';
import { errorInterceptor } from '../../../core/http/error.interceptor';
import { provideAppIcons } from '../../../core/icons/icons';
import { RecordDisclosurePage } from './record-disclosure-page';

const CODE_A = generatePersonCode((bytes) => bytes.fill(1));
const CODE_B = generatePersonCode((bytes) => bytes.fill(2));

describe('RecordDisclosurePage', () => {
  let fixture: ComponentFixture<RecordDisclosurePage>;
  let backend: HttpTestingController;
  let navigations: unknown[][];

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [RecordDisclosurePage],
      providers: [
        provideHttpClient(withInterceptors([errorInterceptor])),
        provideHttpClientTesting(),
        provideTranslocoTesting(),
        provideNoAnimations(),
        provideAppIcons(),
        provideRouter([]),
        { provide: MatSnackBar, useValue: new FakeSnackBar() },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    navigations = [];
    const router = TestBed.inject(Router);
    jest.spyOn(router, 'navigate').mockImplementation((commands) => {
      navigations.push([...commands]);
      return Promise.resolve(true);
    });
    TestBed.inject(SessionStore).signIn(sessionInfo({ roles: ['coordinator'] }));
    fixture = TestBed.createComponent(RecordDisclosurePage);
    await stable();
  });

  afterEach(() => backend.verify());

  async function stable(): Promise<void> {
    await settle();
    await fixture.whenStable();
    await settle();
  }

  async function click(testId: string): Promise<void> {
    byTestId<HTMLElement>(testId).click();
    await stable();
  }

  async function tick(testId: string): Promise<void> {
    byTestId(testId).querySelector<HTMLInputElement>('input')!.click();
    await stable();
  }

  const input = (testId: string) => byTestId<HTMLInputElement>(testId);
  const text = (testId: string): string => byTestId(testId).textContent.replace(/\s+/g, ' ').trim();

  async function fillIn(): Promise<void> {
    await tick('disclosure-authority-police');
    type(input('disclosure-requester'), ' Sgt Lee, Central station ');
    type(input('disclosure-instrument'), 'Production order 2026/114');
    type(input('disclosure-code-0'), CODE_A.toLowerCase());
    await click('disclosure-code-add');
    type(input('disclosure-code-1'), CODE_B);
    await tick('disclosure-field-givenName');
    await tick('disclosure-field-contacts');
    type(input('disclosure-from'), '2026-01-01');
    type(input('disclosure-to'), '2026-06-30');
    await stable();
  }

  it('sends nothing while the form is incomplete, and says what is missing', async () => {
    await click('disclosure-record-submit');
    backend.expectNone('/api/disclosures');
    expect(text('disclosure-authority-error')).toBe(en.disclosures.record.authorityRequired);
    expect(text('disclosure-people-error')).toBe(en.disclosures.record.peopleRequired);
    expect(text('disclosure-fields-error')).toBe(en.disclosures.record.fieldsRequired);
    expect(text('disclosure-requester-error')).toBe(en.disclosures.record.requesterRequired);
  });

  it('refuses a mistyped code, the same code twice and a period that ends before it starts', async () => {
    await fillIn();
    type(input('disclosure-code-1'), 'HB-0000-000Z');
    type(input('disclosure-to'), '2025-12-31');
    await click('disclosure-record-submit');
    backend.expectNone('/api/disclosures');
    expect(text('disclosure-code-error-1')).toBe(en.disclosures.record.codeInvalid);
    expect(text('disclosure-period-error')).toBe(en.disclosures.record.periodOrder);
    type(input('disclosure-code-1'), CODE_A);
    await stable();
    expect(text('disclosure-people-error')).toBe(en.disclosures.record.codeTwice);
  });

  it('records the request and opens it', async () => {
    await fillIn();
    await click('disclosure-record-submit');
    const create = backend.expectOne({ method: 'POST', url: '/api/disclosures' });
    expect(create.request.body).toEqual({
      authority: 'police',
      requester: 'Sgt Lee, Central station',
      legalInstrument: 'Production order 2026/114',
      personCodes: [CODE_A, CODE_B],
      fields: ['givenName', 'contacts'],
      periodFrom: '2026-01-01',
      periodTo: '2026-06-30',
    });
    expect(create.request.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
    create.flush({ id: 'd-9' });
    await stable();
    expect(navigations).toEqual([['/disclosures', 'd-9']]);
  });

  it('shows the API refusal on the control it names', async () => {
    await fillIn();
    await click('disclosure-record-submit');
    backend.expectOne('/api/disclosures').flush(
      {
        code: 'disclosure_unknown_person',
        correlationId: 'ref-1',
        fields: [{ path: 'personCodes.1', reason: 'unknown' }],
      },
      { status: 422, statusText: 'Unprocessable Entity' },
    );
    await stable();
    expect(text('disclosure-code-error-1')).toBe(en.disclosures.record.codeRefused);
    expect(maybeByTestId('disclosure-code-error-0')).toBeNull();
    expect(text('disclosure-record-error')).toContain(en.errors.disclosure_unknown_person);
    expect(navigations).toEqual([]);
  });

  it('says under the period what the API refused about it, never the path or reason', async () => {
    await fillIn();
    await click('disclosure-record-submit');
    backend.expectOne('/api/disclosures').flush(
      {
        code: 'validation_failed',
        correlationId: 'ref-2',
        fields: [{ path: 'periodTo', reason: 'beforePeriodFrom' }],
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await stable();
    const period = document.querySelectorAll('mat-error');
    expect([...period].map((e) => e.textContent.trim())).toContain(en.errors.field.beforeStart);
    expect(document.body.textContent).not.toMatch(/periodTo|beforePeriodFrom/);
  });

  it('marks the codes when the API says one is not a person of the organisation', async () => {
    await fillIn();
    await click('disclosure-record-submit');
    backend
      .expectOne('/api/disclosures')
      .flush(
        { code: 'disclosure_unknown_person', correlationId: 'ref-2' },
        { status: 422, statusText: 'Unprocessable Entity' },
      );
    await stable();
    expect(text('disclosure-people-error')).toBe(en.errors.disclosure_unknown_person);
    expect(navigations).toEqual([]);
  });
});
