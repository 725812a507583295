import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import type { ComponentFixture } from '@angular/core/testing';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideRouter, Router } from '@angular/router';
import type { OrganisationSettingsView } from '@harbour/domain';
import { LOCKDOWN_PROMISES } from '@harbour/domain';
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
import { OrganisationStore } from '../data/organisation.store';
import { LockdownPage } from './lockdown-page';

const LOCKED: OrganisationSettingsView = {
  id: 'o-1',
  name: 'Safe Steps',
  lockdown: {
    active: true,
    since: '2026-03-01T09:00:00.000Z',
    liftApprovals: [{ userId: 'u-2', displayName: 'Bo' }],
    approvalsNeeded: 2,
    callerMayApprove: true,
  },
  reportK: 5,
  staleReferralDays: 14,
  version: 8,
};
const LIFTED: OrganisationSettingsView = {
  ...LOCKED,
  lockdown: {
    active: false,
    since: null,
    liftApprovals: [],
    approvalsNeeded: 2,
    callerMayApprove: false,
  },
  version: 9,
};

/** The page an admin sees during a lockdown (docs/security.md T25). */
describe('LockdownPage', () => {
  let fixture: ComponentFixture<LockdownPage>;
  let backend: HttpTestingController;
  let store: SessionStore;

  async function setUp(settings: OrganisationSettingsView): Promise<void> {
    TestBed.configureTestingModule({
      imports: [LockdownPage],
      providers: [
        provideHttpClient(withInterceptors([errorInterceptor])),
        provideHttpClientTesting(),
        provideTranslocoTesting(),
        provideNoAnimations(),
        provideAppIcons(),
        provideRouter([{ path: '**', component: StubPage }]),
        OrganisationStore,
        { provide: MatSnackBar, useValue: new FakeSnackBar() },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    store = TestBed.inject(SessionStore);
    store.signIn(sessionInfo({ roles: ['admin'], id: 'u-1', lockdown: true }));
    // A fresh step-up: approving sends at once (without one, the step-up dialog comes first).
    store.noteStepUp();
    await TestBed.inject(Router).navigateByUrl('/lockdown');
    fixture = TestBed.createComponent(LockdownPage);
    await fixture.whenStable();
    backend.expectOne('/api/organisation/settings').flush(settings);
    await stable();
  }

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

  it('says since when, what is switched off (the enforced promises), and who has approved', async () => {
    await setUp(LOCKED);
    expect(byTestId('lockdown-heading').textContent.trim()).toBe(en.admin.lockdown.heading);
    expect(byTestId('lockdown-state').textContent).toContain('Lockdown active since');
    for (const promise of LOCKDOWN_PROMISES) {
      expect(byTestId(`lockdown-promise-${promise}`).textContent.trim()).toBe(
        en.admin.organisation.lockdown.promises[promise],
      );
    }
    expect(byTestId('lockdown-approvals').textContent.trim()).toBe('Approvals: 1 of 2.');
    expect(byTestId('lockdown-lift').textContent).toContain('Bo');
    expect(byTestId<HTMLButtonElement>('lockdown-lift-button').disabled).toBe(false);
    expect(maybeByTestId('lockdown-not-eligible')).toBeNull();
  });

  it('records an approval, says a second admin is needed, and disables the button', async () => {
    await setUp({ ...LOCKED, lockdown: { ...LOCKED.lockdown, liftApprovals: [] } });
    await click('lockdown-lift-button');
    backend.expectOne({ method: 'POST', url: '/api/organisation/lockdown/lift' }).flush({
      ...LOCKED,
      lockdown: { ...LOCKED.lockdown, liftApprovals: [{ userId: 'u-1', displayName: 'Ana' }] },
    });
    await stable();

    expect(byTestId('lockdown-notice').textContent.trim()).toBe(
      en.admin.organisation.notice.approved,
    );
    expect(byTestId<HTMLButtonElement>('lockdown-lift-button').disabled).toBe(true);
    expect(store.session()?.organisation.lockdown).toBe(true);
  });

  it('lifts it with the second distinct admin, and offers the way back', async () => {
    await setUp(LOCKED);
    await click('lockdown-lift-button');
    backend.expectOne('/api/organisation/lockdown/lift').flush(LIFTED);
    await stable();

    expect(byTestId('lockdown-notice').textContent).toContain(en.admin.organisation.notice.lifted);
    expect(byTestId('lockdown-continue').getAttribute('href')).toBe('/');
    expect(store.session()?.organisation.lockdown).toBe(false);
    expect(store.lockdown()).toBe(false);
  });

  it('tells an admin made during the lockdown that they cannot approve', async () => {
    await setUp({ ...LOCKED, lockdown: { ...LOCKED.lockdown, callerMayApprove: false } });
    expect(byTestId('lockdown-not-eligible').textContent.trim()).toBe(
      en.admin.lockdown.notEligible,
    );
    expect(byTestId<HTMLButtonElement>('lockdown-lift-button').disabled).toBe(true);
  });
});
