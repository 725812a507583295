import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import type { ComponentFixture } from '@angular/core/testing';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideRouter } from '@angular/router';
import type { CanaryView } from '@harbour/domain';
import en from '../../../../assets/i18n/en.json';
import { byTestId, maybeByTestId, settle, type } from '../../../../testing/dom';
import { FakeSnackBar } from '../../../../testing/fake-snack-bar';
import { provideTranslocoTesting } from '../../../../testing/i18n';
import { provideNoAnimations } from '../../../../testing/material';
import { apiError, freshStepUp, sessionInfo, staffUser } from '../../../../testing/session';
import { SessionStore } from '../../../core/auth/session.store';
import { errorInterceptor } from '../../../core/http/error.interceptor';
import { provideAppIcons } from '../../../core/icons/icons';
import { CanariesStore } from '../data/canaries.store';
import { CanariesPage } from './canaries-page';

const BEN = staffUser({ email: 'ben@example.org', displayName: 'Ben', roles: ['caseworker'] });
const CHI = staffUser({ email: 'chi@example.org', displayName: 'Chi', roles: ['auditor'] });

function canary(overrides: Partial<CanaryView> & { code: string }): CanaryView {
  return {
    id: `c-${overrides.code}`,
    personId: `p-${overrides.code}`,
    plantedAt: '2026-01-05T09:00:00.000Z',
    plantedBy: 'u-1',
    caseworkerId: BEN.id,
    retiredAt: null,
    ...overrides,
  };
}

const OLD = canary({ code: 'HB-0000-0001', plantedAt: '2026-01-01T09:00:00.000Z' });
const RETIRED = canary({
  code: 'HB-0000-0002',
  plantedAt: '2026-01-02T09:00:00.000Z',
  retiredAt: '2026-01-04T09:00:00.000Z',
});

describe('CanariesPage', () => {
  let fixture: ComponentFixture<CanariesPage>;
  let backend: HttpTestingController;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [CanariesPage],
      providers: [
        provideHttpClient(withInterceptors([errorInterceptor])),
        provideHttpClientTesting(),
        provideTranslocoTesting(),
        provideNoAnimations(),
        provideAppIcons(),
        provideRouter([]),
        CanariesStore,
        { provide: MatSnackBar, useValue: new FakeSnackBar() },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    TestBed.inject(SessionStore).signIn(sessionInfo({ roles: ['admin'], id: 'u-1' }));
    fixture = TestBed.createComponent(CanariesPage);
    await fixture.whenStable();
    backend.expectOne('/api/canaries').flush([OLD, RETIRED]);
    backend.expectOne('/api/users').flush([BEN, CHI]);
    await stable();
  });

  afterEach(() => {
    backend.verify();
  });

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

  it('lists the decoys newest first, with who they appear logged by, and retired ones without a retire button', () => {
    const rows = [
      ...(fixture.nativeElement as HTMLElement).querySelectorAll<HTMLElement>(
        'li[data-testid^="canary-"]',
      ),
    ];
    expect(rows.map((row) => row.dataset['testid'])).toEqual([
      'canary-HB-0000-0002',
      'canary-HB-0000-0001',
    ]);
    expect(text('canary-HB-0000-0001')).toContain('Appears logged by: Ben');
    expect(text('canary-status-HB-0000-0001')).toBe(en.admin.canaries.active);
    expect(text('canary-status-HB-0000-0002')).toContain('Retired');
    expect(maybeByTestId('canary-retire-HB-0000-0002')).toBeNull();
  });

  it('plants a decoy after step-up (asked for first), with the name, staff member and contacts chosen', async () => {
    await click('plant-canary-button');
    type(byTestId<HTMLInputElement>('canary-given'), '  Kanokwan ');
    type(byTestId<HTMLInputElement>('canary-alias'), 'Kan');
    // Only people who work with people are offered (Chi is an auditor).
    byTestId<HTMLElement>('canary-logged-by').click();
    await stable();
    const options = [...document.querySelectorAll<HTMLElement>('mat-option')].map((o) =>
      o.textContent.trim(),
    );
    expect(options).toEqual([en.admin.canaries.plant.anyone, 'Ben']);
    document.querySelectorAll<HTMLElement>('mat-option')[1]!.click();
    await stable();
    await click('plant-canary-submit');

    backend.expectNone('/api/canaries');
    type(byTestId<HTMLInputElement>('step-up-password'), 'my long passphrase');
    type(byTestId<HTMLInputElement>('step-up-code'), '123456');
    await click('step-up-submit');
    backend.expectOne('/api/auth/step-up').flush({ stepUpUntil: freshStepUp() });
    await stable();

    const request = backend.expectOne({ method: 'POST', url: '/api/canaries' });
    expect(request.request.body).toEqual({
      identity: { givenName: 'Kanokwan', alias: 'Kan' },
      caseworkerId: BEN.id,
      contacts: 2,
    });
    expect(request.request.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
    request.flush(canary({ code: 'HB-7K2Q-M9XF', plantedAt: '2026-01-06T09:00:00.000Z' }));
    await stable();

    expect(text('canaries-notice')).toBe('Decoy HB-7K2Q-M9XF planted.');
    expect(maybeByTestId('canary-HB-7K2Q-M9XF')).not.toBeNull();
  });

  it('explains a refused plant in the dialog', async () => {
    TestBed.inject(SessionStore).signIn(
      sessionInfo({ roles: ['admin'], id: 'u-1', stepUpUntil: freshStepUp() }),
    );
    await click('plant-canary-button');
    await click('plant-canary-submit');
    backend
      .expectOne({ method: 'POST', url: '/api/canaries' })
      .flush(apiError('validation_failed'), { status: 400, statusText: 'Bad Request' });
    await stable();
    expect(text('plant-canary-error')).toContain(en.admin.canaries.plant.invalid);
  });

  it('retires a decoy after confirmation', async () => {
    TestBed.inject(SessionStore).signIn(
      sessionInfo({ roles: ['admin'], id: 'u-1', stepUpUntil: freshStepUp() }),
    );
    await click('canary-retire-HB-0000-0001');
    expect(text('confirm-dialog')).toContain('Retire decoy HB-0000-0001?');
    await click('confirm-dialog-confirm');
    backend
      .expectOne({ method: 'POST', url: '/api/canaries/c-HB-0000-0001/retire' })
      .flush({ ...OLD, retiredAt: '2026-01-06T09:00:00.000Z' });
    await stable();

    expect(text('canaries-notice')).toBe('Decoy HB-0000-0001 retired.');
    expect(maybeByTestId('canary-retire-HB-0000-0001')).toBeNull();
  });
});
