import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import type { ComponentFixture } from '@angular/core/testing';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideRouter } from '@angular/router';
import type { DisclosureRequestView, Role } from '@harbour/domain';
import en from '../../../../assets/i18n/en.json';
import { byTestId, maybeByTestId, settle, type } from '../../../../testing/dom';
import { FakeSnackBar } from '../../../../testing/fake-snack-bar';
import { provideTranslocoTesting } from '../../../../testing/i18n';
import { provideNoAnimations } from '../../../../testing/material';
import { apiError, freshStepUp, sessionInfo } from '../../../../testing/session';
import { SessionStore } from '../../../core/auth/session.store';
import { errorInterceptor } from '../../../core/http/error.interceptor';
import { provideAppIcons } from '../../../core/icons/icons';
import { FileDownload } from '../../../core/ui/file-download';
import { DisclosurePage } from './disclosure-page';

const URL = '/api/disclosures/d-1';

function request(overrides: Partial<DisclosureRequestView> = {}): DisclosureRequestView {
  return {
    id: 'd-1',
    version: 3,
    status: 'recorded',
    authority: 'police',
    requester: 'Sgt Lee, Central station',
    legalInstrument: 'Production order 2026/114',
    legalAdvice: null,
    personCodes: ['HB-7Q2M-9XZT', 'HB-4RKD-HW3N'],
    fields: ['givenName', 'contacts'],
    periodFrom: '2026-01-01',
    periodTo: '2026-06-30',
    recordedBy: 'u-recorder',
    recordedAt: '2026-07-01T09:00:00.000Z',
    approvals: [],
    refusalReason: null,
    disclosedAt: null,
    closedAt: null,
    ...overrides,
  };
}

const COORDINATOR_APPROVAL = {
  approverId: 'u-coordinator',
  asRole: 'coordinator' as const,
  approvedAt: '2026-07-02T09:00:00.000Z',
};
const ADMIN_APPROVAL = {
  approverId: 'u-admin',
  asRole: 'admin' as const,
  approvedAt: '2026-07-02T10:00:00.000Z',
};

const ALL_BUTTONS = [
  'disclosure-review',
  'disclosure-approve',
  'disclosure-produce',
  'disclosure-download-again',
  'disclosure-refuse',
  'disclosure-close',
];

describe('DisclosurePage', () => {
  let fixture: ComponentFixture<DisclosurePage>;
  let backend: HttpTestingController;
  let saved: { blob: unknown; name: string }[];

  async function open(
    view: DisclosureRequestView,
    who: { id: string; roles: Role[]; stepUpUntil?: string },
  ): Promise<void> {
    saved = [];
    TestBed.configureTestingModule({
      imports: [DisclosurePage],
      providers: [
        provideHttpClient(withInterceptors([errorInterceptor])),
        provideHttpClientTesting(),
        provideTranslocoTesting(),
        provideNoAnimations(),
        provideAppIcons(),
        provideRouter([]),
        { provide: MatSnackBar, useValue: new FakeSnackBar() },
        {
          provide: FileDownload,
          useValue: { save: (blob: unknown, name: string) => saved.push({ blob, name }) },
        },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    TestBed.inject(SessionStore).signIn(sessionInfo(who));
    fixture = TestBed.createComponent(DisclosurePage);
    fixture.componentRef.setInput('id', 'd-1');
    await fixture.whenStable();
    backend.expectOne(URL).flush(view);
    await stable();
  }

  afterEach(() => backend.verify());

  async function stable(): Promise<void> {
    await settle();
    await fixture.whenStable();
    await settle();
  }

  async function click(testId: string): Promise<void> {
    byTestId<HTMLButtonElement>(testId).click();
    await stable();
  }

  const text = (testId: string): string => byTestId(testId).textContent.replace(/\s+/g, ' ').trim();
  const buttons = (): string[] => ALL_BUTTONS.filter((id) => maybeByTestId(id) !== null);

  async function stepUp(): Promise<void> {
    type(byTestId<HTMLInputElement>('step-up-password'), 'my long passphrase');
    type(byTestId<HTMLInputElement>('step-up-code'), '123456');
    await click('step-up-submit');
    backend.expectOne('/api/auth/step-up').flush({ stepUpUntil: freshStepUp() });
    await stable();
  }

  it('shows what is asked — codes, fields, period, who asks — and offers a coordinator the review', async () => {
    await open(request(), { id: 'u-coordinator', roles: ['coordinator'] });
    expect(text('disclosure-detail-codes')).toBe('HB-7Q2M-9XZT, HB-4RKD-HW3N');
    expect(text('disclosure-detail-fields')).toBe(
      `${en.disclosures.fields.givenName}, ${en.disclosures.fields.contacts}`,
    );
    expect(text('disclosure-detail-requester')).toBe('Sgt Lee, Central station');
    expect(text('disclosure-approvals')).toBe(en.disclosures.approvals.none);
    expect(buttons()).toEqual(['disclosure-review', 'disclosure-refuse']);

    await click('disclosure-review');
    const review = backend.expectOne({ method: 'POST', url: `${URL}/review` });
    expect(review.request.body).toEqual({ version: 3 });
    review.flush(request({ status: 'under_review', version: 4 }));
    await stable();
    expect(text('disclosure-notice')).toBe(en.disclosures.notice.reviewed);
    expect(text('disclosure-detail-status')).toBe(en.disclosures.status.under_review);
    expect(buttons()).toEqual(['disclosure-approve', 'disclosure-refuse']);
  });

  it('offers an admin no review, only approve or refuse once it is under review', async () => {
    await open(request(), { id: 'u-admin', roles: ['admin'] });
    expect(buttons()).toEqual(['disclosure-refuse']);
  });

  it('never offers the recorder an approval, and says why', async () => {
    await open(request({ status: 'under_review' }), { id: 'u-recorder', roles: ['coordinator'] });
    expect(buttons()).toEqual(['disclosure-refuse']);
    expect(text('disclosure-approve-blocked')).toBe(en.disclosures.approvals.notRecorder);
  });

  it('with one coordinator approval: "1 of 2 — needs an admin", second approval required, no file', async () => {
    await open(request({ status: 'under_review', approvals: [COORDINATOR_APPROVAL] }), {
      id: 'u-coordinator',
      roles: ['coordinator'],
    });
    expect(text('disclosure-approvals')).toBe(en.disclosures.approvals.needsAdmin);
    expect(text('disclosure-second-approval')).toBe(en.disclosures.approvals.secondRequired);
    expect(text('disclosure-approve-blocked')).toBe(en.disclosures.approvals.alreadyYou);
    expect(buttons()).toEqual(['disclosure-refuse']);
  });

  it('lets the admin approve after step-up, asked for before anything is sent', async () => {
    await open(request({ status: 'under_review', approvals: [COORDINATOR_APPROVAL] }), {
      id: 'u-admin',
      roles: ['admin'],
    });
    expect(maybeByTestId('disclosure-second-approval')).toBeNull();
    await click('disclosure-approve');
    backend.expectNone(`${URL}/approve`);
    await stepUp();
    const approve = backend.expectOne({ method: 'POST', url: `${URL}/approve` });
    expect(approve.request.body).toEqual({ version: 3 });
    approve.flush(
      request({
        status: 'approved',
        version: 4,
        approvals: [COORDINATOR_APPROVAL, ADMIN_APPROVAL],
      }),
    );
    await stable();
    expect(text('disclosure-notice')).toBe(en.disclosures.notice.approved);
    // The admin produces nothing: the file is the coordinators'.
    expect(buttons()).toEqual([]);
    expect(
      byTestId('disclosure-timeline').querySelectorAll('[data-testid="disclosure-approval"]'),
    ).toHaveLength(2);
  });

  it('explains a refused approval and reloads the request', async () => {
    await open(request({ status: 'under_review', approvals: [ADMIN_APPROVAL] }), {
      id: 'u-coordinator',
      roles: ['coordinator'],
      stepUpUntil: freshStepUp(),
    });
    await click('disclosure-approve');
    backend
      .expectOne(`${URL}/approve`)
      .flush(apiError('disclosure_already_approved'), { status: 409, statusText: 'Conflict' });
    await stable();
    backend.expectOne(URL).flush(request({ status: 'under_review', approvals: [ADMIN_APPROVAL] }));
    await stable();
    expect(text('disclosure-error')).toContain(en.errors.disclosure_already_approved);
  });

  it('produces the file after step-up and shows the passphrase once, with the warning and the download', async () => {
    await open(request({ status: 'approved', approvals: [COORDINATOR_APPROVAL, ADMIN_APPROVAL] }), {
      id: 'u-recorder',
      roles: ['coordinator'],
    });
    expect(buttons()).toEqual(['disclosure-produce']);
    await click('disclosure-produce');
    backend.expectNone(`${URL}/export`);
    await stepUp();
    const produce = backend.expectOne({ method: 'POST', url: `${URL}/export` });
    expect(produce.request.body).toEqual({ version: 3 });
    produce.flush({
      passphrase: 'Q7M2-9XZT-4RKD-HW3N-P8VB-6JCE',
      fileName: 'disclosure-d-1.zip',
      sizeBytes: 2048,
    });
    await stable();
    backend
      .expectOne(URL)
      .flush(request({ status: 'disclosed', disclosedAt: '2026-07-03T09:00:00.000Z' }));
    await stable();

    expect(text('disclosure-passphrase')).toBe('Q7M2-9XZT-4RKD-HW3N-P8VB-6JCE');
    expect(text('disclosure-passphrase-warning')).toBe(en.disclosures.passphrase.separately);
    await click('disclosure-download');
    const file = backend.expectOne({ method: 'GET', url: `${URL}/file` });
    expect(file.request.responseType).toBe('blob');
    file.flush(new Blob(['PK']), {
      headers: { 'Content-Disposition': 'attachment; filename="disclosure-d-1.zip"' },
    });
    await stable();
    expect(saved.map((s) => s.name)).toEqual(['disclosure-d-1.zip']);

    await click('disclosure-passphrase-done');
    expect(maybeByTestId('disclosure-passphrase')).toBeNull();
    expect(buttons()).toEqual(['disclosure-download-again', 'disclosure-close']);
  });

  it('refuses with a reason after step-up', async () => {
    await open(request({ status: 'under_review' }), {
      id: 'u-admin',
      roles: ['admin'],
      stepUpUntil: freshStepUp(),
    });
    await click('disclosure-refuse');
    await click('disclosure-refuse-confirm');
    expect(maybeByTestId('disclosure-refuse-error')).not.toBeNull();
    type(byTestId<HTMLInputElement>('disclosure-refuse-reason'), '  No warrant was shown.  ');
    await click('disclosure-refuse-confirm');
    const refuse = backend.expectOne({ method: 'POST', url: `${URL}/refuse` });
    expect(refuse.request.body).toEqual({ version: 3, reason: 'No warrant was shown.' });
    refuse.flush(request({ status: 'refused', refusalReason: 'No warrant was shown.' }));
    await stable();
    expect(text('disclosure-detail-refusal')).toBe('No warrant was shown.');
    // Closing is the coordinators'.
    expect(buttons()).toEqual([]);
  });
});
