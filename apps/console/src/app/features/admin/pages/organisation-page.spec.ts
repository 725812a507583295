import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import type { ComponentFixture } from '@angular/core/testing';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideRouter, Router } from '@angular/router';
import type { OrganisationSettingsView } from '@harbour/domain';
import { LOCKDOWN_PROMISES } from '@harbour/domain';
import en from '../../../../assets/i18n/en.json';
import { byTestId, maybeByTestId, settle, type } from '../../../../testing/dom';
import { FakeSnackBar } from '../../../../testing/fake-snack-bar';
import { provideTranslocoTesting } from '../../../../testing/i18n';
import { provideNoAnimations } from '../../../../testing/material';
import { apiError, freshStepUp, sessionInfo } from '../../../../testing/session';
import { SessionStore } from '../../../core/auth/session.store';
import { errorInterceptor } from '../../../core/http/error.interceptor';
import { provideAppIcons } from '../../../core/icons/icons';
import { OrganisationStore } from '../data/organisation.store';
import { OrganisationPage } from './organisation-page';
import { StubPage } from '../../../../testing/stub-page';

const CALM: OrganisationSettingsView = {
  id: 'o-1',
  name: 'Safe Steps',
  lockdown: {
    active: false,
    since: null,
    liftApprovals: [],
    approvalsNeeded: 2,
    callerMayApprove: false,
  },
  reportK: 5,
  staleReferralDays: 14,
  version: 7,
};
const LOCKED: OrganisationSettingsView = {
  ...CALM,
  lockdown: {
    active: true,
    since: '2026-03-01T09:00:00.000Z',
    liftApprovals: [{ userId: 'u-2', displayName: 'Bo' }],
    approvalsNeeded: 2,
    callerMayApprove: true,
  },
  version: 8,
};

describe('OrganisationPage', () => {
  let fixture: ComponentFixture<OrganisationPage>;
  let backend: HttpTestingController;
  let snackBar: FakeSnackBar;
  let store: SessionStore;

  async function setUp(settings: OrganisationSettingsView): Promise<void> {
    snackBar = new FakeSnackBar();
    TestBed.configureTestingModule({
      imports: [OrganisationPage],
      providers: [
        provideHttpClient(withInterceptors([errorInterceptor])),
        provideHttpClientTesting(),
        provideTranslocoTesting(),
        provideNoAnimations(),
        provideAppIcons(),
        provideRouter([{ path: '**', component: StubPage }]),
        OrganisationStore,
        { provide: MatSnackBar, useValue: snackBar },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    store = TestBed.inject(SessionStore);
    // Stepped up a moment ago (see "asks for step-up first" for the other case).
    store.signIn(
      sessionInfo({
        roles: ['admin'],
        id: 'u-1',
        lockdown: settings.lockdown.active,
        stepUpUntil: freshStepUp(),
      }),
    );
    await TestBed.inject(Router).navigateByUrl('/admin/organisation');
    fixture = TestBed.createComponent(OrganisationPage);
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

  describe('not in lockdown', () => {
    beforeEach(async () => {
      await setUp(CALM);
    });

    it('shows the name and a clearly dangerous lockdown button', () => {
      expect(byTestId<HTMLInputElement>('org-name-input').value).toBe('Safe Steps');
      expect(byTestId('lockdown-state').textContent.trim()).toBe(
        en.admin.organisation.lockdown.inactive,
      );
      const button = byTestId('lockdown-button');
      expect(button.classList).toContain('app-danger');
      expect(button.textContent.trim()).toBe(en.admin.organisation.lockdown.start);
    });

    it('explains the consequences first (what the API enforces) and does nothing on cancel', async () => {
      await click('lockdown-button');
      const dialog = byTestId('lockdown-dialog');
      expect(dialog.textContent).toContain('Put Safe Steps into lockdown?');
      // One line per enforced promise, in order (lockdown-promises.spec.ts checks the words).
      const lines = [...dialog.querySelectorAll('li')].map((li) => li.textContent.trim());
      expect(lines).toEqual(
        LOCKDOWN_PROMISES.map((promise) => en.admin.organisation.lockdown.promises[promise]),
      );
      expect(dialog.closest('[role="alertdialog"]')).not.toBeNull();

      await click('lockdown-cancel');
      backend.expectNone('/api/organisation/lockdown');
      expect(maybeByTestId('lockdown-dialog')).toBeNull();
    });

    it('asks for step-up first when none is fresh: no request the API would refuse, none if cancelled', async () => {
      store.signIn(sessionInfo({ roles: ['admin'], id: 'u-1' }));
      await click('lockdown-button');
      await click('lockdown-confirm');

      expect(maybeByTestId('step-up-dialog')).not.toBeNull();
      backend.expectNone('/api/organisation/lockdown');
      await click('step-up-cancel');
      backend.expectNone('/api/organisation/lockdown');
    });

    it('after confirmation, locks down and leaves for the sign-in page with an explanation', async () => {
      await click('lockdown-button');
      await click('lockdown-confirm');

      const request = backend.expectOne('/api/organisation/lockdown');
      expect(request.request.method).toBe('POST');
      request.flush(null, { status: 204, statusText: 'No Content' });
      await stable();

      expect(store.status()).toBe('anonymous');
      expect(store.endReason()).toBe('lockdown');
      expect(TestBed.inject(Router).url).toBe('/sign-in');
    });

    it('renames with the version it loaded, and reloads on a conflict', async () => {
      type(byTestId<HTMLInputElement>('org-name-input'), 'Safe Steps North');
      await stable();
      await click('org-name-save');

      const patch = backend.expectOne({ method: 'PATCH', url: '/api/organisation/settings' });
      expect(patch.request.body).toEqual({ version: 7, name: 'Safe Steps North' });
      patch.flush(apiError('version_conflict'), { status: 409, statusText: 'Conflict' });
      await stable();
      backend
        .expectOne('/api/organisation/settings')
        .flush({ ...CALM, name: 'Safe Steps (Bangkok)', version: 8 });
      await stable();

      expect(byTestId('organisation-notice').textContent.trim()).toBe(
        en.admin.organisation.notice.conflict,
      );
      expect(byTestId<HTMLInputElement>('org-name-input').value).toBe('Safe Steps (Bangkok)');
      expect(snackBar.opened).toEqual([]);
    });

    it('saves a new name and shows it in the session', async () => {
      type(byTestId<HTMLInputElement>('org-name-input'), 'Safe Steps North');
      await stable();
      await click('org-name-save');
      backend
        .expectOne({ method: 'PATCH', url: '/api/organisation/settings' })
        .flush({ ...CALM, name: 'Safe Steps North', version: 8 });
      await stable();

      expect(byTestId('organisation-notice').textContent.trim()).toBe(
        en.admin.organisation.notice.saved,
      );
      expect(store.session()?.organisation.name).toBe('Safe Steps North');
    });
  });

  describe('follow-ups for quiet referrals', () => {
    beforeEach(async () => {
      await setUp({ ...CALM, staleReferralDays: 14 });
    });

    const daysInput = (): HTMLInputElement => byTestId<HTMLInputElement>('org-stale-days-input');

    it('saves a number of days, and empty as off (null)', async () => {
      expect(daysInput().value).toBe('14');
      type(daysInput(), '21');
      await stable();
      await click('org-stale-days-save');
      const patch = backend.expectOne({ method: 'PATCH', url: '/api/organisation/settings' });
      expect(patch.request.body).toEqual({ version: 7, staleReferralDays: 21 });
      patch.flush({ ...CALM, staleReferralDays: 21, version: 8 });
      await stable();

      type(daysInput(), '');
      await stable();
      await click('org-stale-days-save');
      const off = backend.expectOne({ method: 'PATCH', url: '/api/organisation/settings' });
      expect(off.request.body).toEqual({ version: 8, staleReferralDays: null });
      off.flush({ ...CALM, staleReferralDays: null, version: 9 });
      await stable();
      expect(daysInput().value).toBe('');
    });

    it.each(['0', '366', '2.5'])('refuses %p and sends nothing', async (value) => {
      type(daysInput(), value);
      await stable();
      await click('org-stale-days-save');
      backend.expectNone({ method: 'PATCH', url: '/api/organisation/settings' });
      expect(byTestId('org-stale-days-error').textContent.trim()).toBe(
        'Enter a whole number from 1 to 365, or leave it empty.',
      );
    });
  });

  describe('report k', () => {
    beforeEach(async () => {
      await setUp({ ...CALM, reportK: 7 });
    });

    function kInput(): HTMLInputElement {
      return byTestId<HTMLInputElement>('org-report-k-input');
    }

    it('shows the k it loaded, explained, with nothing to save yet', () => {
      expect(kInput().value).toBe('7');
      expect(kInput().type).toBe('number');
      expect(byTestId('org-reports-panel').textContent).toContain(
        en.admin.organisation.reports.label,
      );
      expect(byTestId('org-report-k-hint').textContent.trim()).toBe(
        'Reports hide any number smaller than this, so nobody can be singled out. Higher is ' +
          'safer; 5 is the usual choice. Reports leaving the organisation always use 11. A ' +
          'change applies to quarters published from then on; quarters already published keep ' +
          'theirs.',
      );
      expect(byTestId<HTMLButtonElement>('org-report-k-save').disabled).toBe(true);
      expect(maybeByTestId('org-report-k-error')).toBeNull();
    });

    it('saves a new k, as a number, with the version it loaded', async () => {
      type(kInput(), '9');
      await stable();
      await click('org-report-k-save');

      const patch = backend.expectOne({ method: 'PATCH', url: '/api/organisation/settings' });
      expect(patch.request.body).toEqual({ version: 7, reportK: 9 });
      expect(typeof (patch.request.body as { reportK: unknown }).reportK).toBe('number');
      patch.flush({ ...CALM, reportK: 9, version: 8 });
      await stable();

      expect(byTestId('organisation-notice').textContent.trim()).toBe(
        en.admin.organisation.notice.saved,
      );
      expect(kInput().value).toBe('9');
      expect(byTestId<HTMLButtonElement>('org-report-k-save').disabled).toBe(true);
      expect(snackBar.opened).toEqual([]);
    });

    it.each(['1', '12', '4.5', ''])('refuses %p, says why and sends nothing', async (value) => {
      type(kInput(), value);
      await stable();
      await click('org-report-k-save');

      backend.expectNone({ method: 'PATCH', url: '/api/organisation/settings' });
      expect(byTestId('org-report-k-error').textContent.trim()).toBe(
        'Enter a whole number from 2 to 11.',
      );
      expect(maybeByTestId('organisation-notice')?.textContent.trim()).toBe('');
    });

    it('explains a conflict and shows the k that was saved meanwhile', async () => {
      type(kInput(), '3');
      await stable();
      await click('org-report-k-save');

      const patch = backend.expectOne({ method: 'PATCH', url: '/api/organisation/settings' });
      expect(patch.request.body).toEqual({ version: 7, reportK: 3 });
      patch.flush(apiError('version_conflict'), { status: 409, statusText: 'Conflict' });
      await stable();
      backend.expectOne('/api/organisation/settings').flush({ ...CALM, reportK: 8, version: 8 });
      await stable();

      expect(byTestId('organisation-notice').textContent.trim()).toBe(
        en.admin.organisation.notice.conflict,
      );
      expect(kInput().value).toBe('8');
      expect(byTestId<HTMLButtonElement>('org-report-k-save').disabled).toBe(true);
      expect(snackBar.opened).toEqual([]);
    });
  });

  describe('in lockdown', () => {
    beforeEach(async () => {
      await setUp(LOCKED);
    });

    it('says so and leads to the lockdown page, with no second lockdown button', () => {
      expect(byTestId('lockdown-panel').dataset['lockdown']).toBe('active');
      expect(byTestId('lockdown-open-page').getAttribute('href')).toBe('/lockdown');
      expect(maybeByTestId('lockdown-button')).toBeNull();
    });
  });
});
