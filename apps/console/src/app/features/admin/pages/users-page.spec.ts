import { Clipboard } from '@angular/cdk/clipboard';
import { BreakpointObserver } from '@angular/cdk/layout';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import type { ComponentFixture } from '@angular/core/testing';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideRouter } from '@angular/router';
import { TranslocoService } from '@jsverse/transloco';
import type { CreateUserResponse, StaffApprovalView, StaffUserView } from '@harbour/domain';
import { of } from 'rxjs';
import en from '../../../../assets/i18n/en.json';
import { byTestId, maybeByTestId, settle, type } from '../../../../testing/dom';
import { FakeClipboard } from '../../../../testing/fake-clipboard';
import { FakeSnackBar } from '../../../../testing/fake-snack-bar';
import { TRANSLATIONS, provideTranslocoTesting } from '../../../../testing/i18n';
import { provideNoAnimations } from '../../../../testing/material';
import { apiError, freshStepUp, sessionInfo, staffUser } from '../../../../testing/session';
import { SessionStore } from '../../../core/auth/session.store';
import { errorInterceptor } from '../../../core/http/error.interceptor';
import { provideAppIcons } from '../../../core/icons/icons';
import { UsersStore } from '../data/users.store';
import { UsersPage } from './users-page';

const ANA = staffUser({
  email: 'ana@example.org',
  displayName: 'Ana',
  roles: ['admin'],
  id: 'u-1',
});
const BEN = staffUser({
  email: 'ben@example.org',
  displayName: 'Ben',
  roles: ['caseworker', 'coordinator'],
  version: 3,
});
const CHI = staffUser({
  email: 'chi@example.org',
  displayName: 'Chi',
  status: 'disabled',
  mfaEnrolled: false,
  lastSignInAt: null,
});

/** Ben's password reset, asked for by another admin (u-2), waiting for a second admin. */
const BEN_RESET: StaffApprovalView = {
  id: 'r-1',
  kind: 'reset_password',
  targetUserId: BEN.id,
  email: BEN.email,
  displayName: BEN.displayName,
  rolesBefore: ['caseworker', 'coordinator'],
  rolesAfter: ['caseworker', 'coordinator'],
  requestedBy: { id: 'u-2', displayName: 'Bo' },
  requestedAt: '2026-03-01T09:00:00.000Z',
  expiresAt: '2026-03-04T09:00:00.000Z',
};

describe('UsersPage', () => {
  let fixture: ComponentFixture<UsersPage>;
  let backend: HttpTestingController;
  let snackBar: FakeSnackBar;
  let clipboard: FakeClipboard;

  async function setUp(wide: boolean, approvals: StaffApprovalView[] = []): Promise<void> {
    snackBar = new FakeSnackBar();
    clipboard = new FakeClipboard();
    TestBed.configureTestingModule({
      imports: [UsersPage],
      providers: [
        provideHttpClient(withInterceptors([errorInterceptor])),
        provideHttpClientTesting(),
        provideTranslocoTesting(),
        provideNoAnimations(),
        provideAppIcons(),
        provideRouter([]),
        UsersStore,
        { provide: MatSnackBar, useValue: snackBar },
        { provide: Clipboard, useValue: clipboard },
        {
          provide: BreakpointObserver,
          useValue: {
            observe: () => of({ matches: wide, breakpoints: {} }),
            isMatched: () => wide,
          },
        },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    // Stepped up a moment ago: actions go straight to the API (see "step-up first" below).
    TestBed.inject(SessionStore).signIn(
      sessionInfo({ roles: ['admin'], id: 'u-1', stepUpUntil: freshStepUp() }),
    );
    fixture = TestBed.createComponent(UsersPage);
    await fixture.whenStable();
    backend.expectOne('/api/users/approvals').flush(approvals);
    backend.expectOne('/api/users').flush([BEN, CHI, ANA]);
    await stable();
  }

  /** The page reloads the accounts and the waiting changes after a change. */
  async function reload(
    users: StaffUserView[],
    approvals: StaffApprovalView[] = [],
  ): Promise<void> {
    backend.expectOne({ method: 'GET', url: '/api/users/approvals' }).flush(approvals);
    backend.expectOne({ method: 'GET', url: '/api/users' }).flush(users);
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

  async function openAction(user: StaffUserView, action: string): Promise<void> {
    await click(`user-actions-${user.email}`);
    await click(action);
  }

  function notice(): string {
    return byTestId('users-notice').textContent.trim();
  }

  describe('on a phone', () => {
    beforeEach(async () => {
      await setUp(false);
    });

    it('lists every account as a card, by name, with its roles and status', () => {
      const cards = (fixture.nativeElement as HTMLElement).querySelectorAll(
        'li[data-testid^="user-row-"]',
      );
      expect([...cards].map((card) => (card as HTMLElement).dataset['testid'])).toEqual([
        'user-row-ana@example.org',
        'user-row-ben@example.org',
        'user-row-chi@example.org',
      ]);
      const ben = byTestId('user-row-ben@example.org');
      expect(ben.textContent).toContain('Caseworker');
      expect(ben.textContent).toContain('Coordinator');
      expect(ben.querySelector('[data-testid="user-status"]')?.textContent.trim()).toBe('Active');
      const chi = byTestId('user-row-chi@example.org');
      expect(chi.querySelector('[data-testid="user-status"]')?.textContent.trim()).toBe('Disabled');
      expect(chi.textContent).toContain(en.admin.users.status.mfaPending);
      expect(chi.textContent).toContain(en.admin.users.neverSignedIn);
    });

    it('creates an account, enforcing the auditor rule, and shows the one-time password once', async () => {
      await click('create-user-button');
      type(byTestId<HTMLInputElement>('create-user-email'), 'dee@example.org');
      type(byTestId<HTMLInputElement>('create-user-display-name'), 'Dee');
      // Caseworker is ticked by default; adding auditor breaks separation of duties.
      byTestId('create-user-role-auditor').querySelector('input')?.click();
      await click('create-user-submit');

      backend.expectNone('/api/users');
      expect(byTestId('create-user-roles-error').textContent.trim()).toBe(
        en.admin.roles.problems.auditorCombined,
      );

      byTestId('create-user-role-caseworker').querySelector('input')?.click();
      await click('create-user-submit');

      const request = backend.expectOne({ method: 'POST', url: '/api/users' });
      expect(request.request.body).toEqual({
        email: 'dee@example.org',
        displayName: 'Dee',
        roles: ['auditor'],
      });
      expect(request.request.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
      const created: CreateUserResponse = {
        user: staffUser({ email: 'dee@example.org', displayName: 'Dee', roles: ['auditor'] }),
        oneTimePassword: 'tidal-moss-82-quiet',
        pending: null,
      };
      request.flush(created, { status: 201, statusText: 'Created' });
      await stable();

      expect(maybeByTestId('create-user-dialog')).toBeNull();
      expect(byTestId('one-time-password').textContent.trim()).toBe('tidal-moss-82-quiet');
      expect(byTestId('one-time-password-dialog').textContent).toContain(
        en.admin.users.oneTimePassword.private,
      );
      await click('one-time-password-copy');
      expect(clipboard.copied).toEqual(['tidal-moss-82-quiet']);

      await click('one-time-password-done');
      expect(maybeByTestId('one-time-password')).toBeNull();
      expect(notice()).toBe('Account created for Dee.');
      expect(byTestId('user-row-dee@example.org')).not.toBeNull();
    });

    it('puts a refused display name under its field, in Thai, and names refused roles in words', async () => {
      TestBed.inject(TranslocoService).setActiveLang('th');
      await click('create-user-button');
      type(byTestId<HTMLInputElement>('create-user-email'), 'dee@example.org');
      type(byTestId<HTMLInputElement>('create-user-display-name'), 'Dee');
      await click('create-user-submit');
      backend.expectOne({ method: 'POST', url: '/api/users' }).flush(
        {
          code: 'validation_failed',
          message: 'x',
          correlationId: 'c-9',
          fields: [
            { path: 'displayName', reason: 'maxLength', limits: { maxLength: 100 } },
            { path: 'roles', reason: 'auditor_combined' },
          ],
        },
        { status: 400, statusText: 'Bad Request' },
      );
      await stable();
      const thai = TRANSLATIONS.th as typeof en;
      const max = new Intl.NumberFormat('th', { maximumFractionDigits: 0 }).format(100);
      expect(byTestId('create-user-display-name-error').textContent.trim()).toBe(
        thai.errors.field.maxLength.replace('{{max}}', max),
      );
      expect(byTestId('create-user-display-name').getAttribute('aria-invalid')).toBe('true');
      // The roles are a group of boxes: the banner names them, never the raw path or reason.
      const banner = byTestId('create-user-error').textContent;
      expect(banner).toContain(thai.errors.fieldName.roles);
      expect(banner).toContain(thai.errors.field.auditorCombined);
      expect(banner).not.toMatch(/auditor_combined|displayName/);
      expect(maybeByTestId('create-user-dialog')).not.toBeNull();
    });

    it('asks for at least one role', async () => {
      await click('create-user-button');
      type(byTestId<HTMLInputElement>('create-user-email'), 'dee@example.org');
      type(byTestId<HTMLInputElement>('create-user-display-name'), 'Dee');
      byTestId('create-user-role-caseworker').querySelector('input')?.click();
      await click('create-user-submit');

      backend.expectNone('/api/users');
      expect(byTestId('create-user-roles-error').textContent.trim()).toBe(
        en.admin.roles.problems.empty,
      );
    });

    it('asks for step-up first when none is fresh, sending nothing the API would refuse, then creates the account', async () => {
      TestBed.inject(SessionStore).signIn(sessionInfo({ roles: ['admin'], id: 'u-1' }));
      await click('create-user-button');
      type(byTestId<HTMLInputElement>('create-user-email'), 'dee@example.org');
      type(byTestId<HTMLInputElement>('create-user-display-name'), 'Dee');
      await click('create-user-submit');

      // No refused request first: a refusal is an access event, and repeated ones raise a flag.
      backend.expectNone({ method: 'POST', url: '/api/users' });
      type(byTestId<HTMLInputElement>('step-up-password'), 'my long passphrase');
      type(byTestId<HTMLInputElement>('step-up-code'), '123456');
      await click('step-up-submit');
      backend.expectOne('/api/auth/step-up').flush({ stepUpUntil: freshStepUp() });
      await stable();

      backend.expectOne({ method: 'POST', url: '/api/users' }).flush({
        user: staffUser({ email: 'dee@example.org', displayName: 'Dee' }),
        oneTimePassword: 'otp-1',
        pending: null,
      });
      await stable();
      expect(byTestId('one-time-password').textContent.trim()).toBe('otp-1');
      expect(TestBed.inject(SessionStore).stepUpFresh()).toBe(true);
    });

    it('asks for step-up when the API still requires it (it lapsed on the way), then creates the account with the same key', async () => {
      await click('create-user-button');
      type(byTestId<HTMLInputElement>('create-user-email'), 'dee@example.org');
      type(byTestId<HTMLInputElement>('create-user-display-name'), 'Dee');
      await click('create-user-submit');

      const first = backend.expectOne({ method: 'POST', url: '/api/users' });
      const key = first.request.headers.get('Idempotency-Key');
      first.flush(apiError('step_up_required'), { status: 403, statusText: 'Forbidden' });
      await stable();

      type(byTestId<HTMLInputElement>('step-up-password'), 'my long passphrase');
      type(byTestId<HTMLInputElement>('step-up-code'), '123456');
      await click('step-up-submit');
      backend
        .expectOne('/api/auth/step-up')
        .flush({ stepUpUntil: new Date(Date.now() + 300_000).toISOString() });
      await stable();

      const retry = backend.expectOne({ method: 'POST', url: '/api/users' });
      expect(retry.request.headers.get('Idempotency-Key')).toBe(key);
      retry.flush({
        user: staffUser({ email: 'dee@example.org', displayName: 'Dee' }),
        oneTimePassword: 'otp-1',
        pending: null,
      });
      await stable();

      expect(byTestId('one-time-password').textContent.trim()).toBe('otp-1');
      expect(snackBar.opened).toEqual([]);
    });

    it('after cancelling step-up, creates nothing and keeps the form', async () => {
      TestBed.inject(SessionStore).signIn(sessionInfo({ roles: ['admin'], id: 'u-1' }));
      await click('create-user-button');
      type(byTestId<HTMLInputElement>('create-user-email'), 'dee@example.org');
      type(byTestId<HTMLInputElement>('create-user-display-name'), 'Dee');
      await click('create-user-submit');

      await click('step-up-cancel');

      backend.expectNone({ method: 'POST', url: '/api/users' });
      expect(byTestId<HTMLInputElement>('create-user-email').value).toBe('dee@example.org');
      expect(byTestId<HTMLButtonElement>('create-user-submit').disabled).toBe(false);
    });

    it('reloads and explains when someone else changed the account first', async () => {
      await openAction(BEN, 'user-toggle-status');
      expect(byTestId('confirm-dialog').textContent).toContain("Disable Ben's account?");
      await click('confirm-dialog-confirm');

      const patch = backend.expectOne({ method: 'PATCH', url: `/api/users/${BEN.id}` });
      expect(patch.request.body).toEqual({ status: 'disabled', version: 3 });
      patch.flush(apiError('version_conflict'), { status: 409, statusText: 'Conflict' });
      await stable();

      await reload([ANA, { ...BEN, version: 4 }]);

      expect(notice()).toBe(
        "Someone else changed Ben's account at the same time. The list has been reloaded: check it and try again.",
      );
      expect(snackBar.opened).toEqual([]);
    });

    it('puts a refused display name under its field in the edit dialog, and stays open', async () => {
      await openAction(BEN, 'user-edit');
      type(byTestId<HTMLInputElement>('edit-user-display-name'), 'Benjamin');
      await click('edit-user-submit');
      backend.expectOne({ method: 'PATCH', url: `/api/users/${BEN.id}` }).flush(
        {
          code: 'validation_failed',
          message: 'x',
          correlationId: 'c-8',
          fields: [{ path: 'displayName', reason: 'maxLength', limits: { maxLength: 100 } }],
        },
        { status: 400, statusText: 'Bad Request' },
      );
      await stable();
      expect(byTestId('edit-user-display-name-error').textContent.trim()).toBe(
        en.errors.field.maxLength.replace('{{max}}', '100'),
      );
      expect(byTestId('edit-user-display-name').getAttribute('aria-invalid')).toBe('true');
      expect(maybeByTestId('edit-user-error')).toBeNull();
      expect(maybeByTestId('edit-user-dialog')).not.toBeNull();
    });

    it('edits roles with the version it saw, sending only what changed', async () => {
      await openAction(BEN, 'user-edit');
      byTestId('edit-user-role-coordinator').querySelector('input')?.click();
      await click('edit-user-submit');

      const patch = backend.expectOne({ method: 'PATCH', url: `/api/users/${BEN.id}` });
      expect(patch.request.body).toEqual({ roles: ['caseworker'], version: 3 });
      patch.flush({ ...BEN, roles: ['caseworker'], version: 4, pending: null });
      await stable();
      await reload([ANA, { ...BEN, roles: ['caseworker'], version: 4 }]);

      expect(maybeByTestId('edit-user-dialog')).toBeNull();
      expect(notice()).toBe('Changes saved for Ben.');
      expect(byTestId('user-row-ben@example.org').textContent).not.toContain('Coordinator');
    });

    it('closes the edit dialog and explains a conflict on a role change', async () => {
      await openAction(BEN, 'user-edit');
      byTestId('edit-user-role-admin').querySelector('input')?.click();
      await click('edit-user-submit');
      backend
        .expectOne({ method: 'PATCH', url: `/api/users/${BEN.id}` })
        .flush(apiError('version_conflict'), { status: 409, statusText: 'Conflict' });
      await stable();
      await reload([ANA, BEN]);

      expect(maybeByTestId('edit-user-dialog')).toBeNull();
      expect(notice()).toContain('Someone else changed');
    });

    it('signs an account out everywhere only after confirmation', async () => {
      await openAction(BEN, 'user-revoke-sessions');
      await click('confirm-dialog-cancel');
      backend.expectNone(`/api/users/${BEN.id}/revoke-sessions`);

      await openAction(BEN, 'user-revoke-sessions');
      await click('confirm-dialog-confirm');
      backend
        .expectOne({ method: 'POST', url: `/api/users/${BEN.id}/revoke-sessions` })
        .flush(null, { status: 204, statusText: 'No Content' });
      await stable();

      expect(notice()).toBe('Ben has been signed out everywhere.');
    });

    it('resets the authenticator after confirmation, then reloads', async () => {
      await openAction(BEN, 'user-reset-mfa');
      expect(byTestId('confirm-dialog').textContent).toContain("Reset Ben's authenticator?");
      await click('confirm-dialog-confirm');
      backend
        .expectOne({ method: 'POST', url: `/api/users/${BEN.id}/reset-mfa` })
        .flush({ pending: null });
      await stable();
      await reload([ANA, { ...BEN, mfaEnrolled: false }]);

      expect(notice()).toContain("Ben's authenticator has been reset.");
    });

    it('resets a password after confirmation and step-up, and shows the new one-time password', async () => {
      await openAction(BEN, 'user-reset-password');
      expect(byTestId('confirm-dialog').textContent).toContain("Reset Ben's password?");
      await click('confirm-dialog-confirm');

      backend
        .expectOne({ method: 'POST', url: `/api/users/${BEN.id}/reset-password` })
        .flush(apiError('step_up_required'), { status: 403, statusText: 'Forbidden' });
      await stable();
      type(byTestId<HTMLInputElement>('step-up-password'), 'my long passphrase');
      type(byTestId<HTMLInputElement>('step-up-code'), '123456');
      await click('step-up-submit');
      backend.expectOne('/api/auth/step-up').flush({ stepUpUntil: new Date().toISOString() });
      await stable();

      backend
        .expectOne({ method: 'POST', url: `/api/users/${BEN.id}/reset-password` })
        .flush({ oneTimePassword: 'new-otp-55', pending: null });
      await stable();
      await reload([ANA, { ...BEN, mustChangePassword: true }]);

      expect(byTestId('one-time-password-dialog').textContent).toContain(
        en.admin.users.oneTimePassword.resetTitle,
      );
      expect(byTestId('one-time-password').textContent.trim()).toBe('new-otp-55');
      expect(notice()).toBe("Ben's password has been reset.");
      expect(snackBar.opened).toEqual([]);
    });

    it('creates a caseworker only as a request: no password, a notice, and the waiting change shown', async () => {
      await click('create-user-button');
      expect(byTestId('create-user-guarded-roles').textContent.trim()).toBe(
        en.admin.users.create.guardedRoles,
      );
      type(byTestId<HTMLInputElement>('create-user-email'), 'dee@example.org');
      type(byTestId<HTMLInputElement>('create-user-display-name'), 'Dee');
      await click('create-user-submit');
      const waiting: StaffApprovalView = {
        ...BEN_RESET,
        id: 'r-2',
        kind: 'create_account',
        targetUserId: null,
        email: 'dee@example.org',
        displayName: 'Dee',
        rolesBefore: [],
        rolesAfter: ['caseworker'],
        requestedBy: { id: 'u-1', displayName: 'Ana' },
      };
      backend
        .expectOne({ method: 'POST', url: '/api/users' })
        .flush(
          { user: null, oneTimePassword: null, pending: waiting },
          { status: 201, statusText: 'Created' },
        );
      await stable();
      backend.expectOne('/api/users/approvals').flush([waiting]);
      await stable();

      expect(maybeByTestId('one-time-password-dialog')).toBeNull();
      expect(maybeByTestId('user-row-dee@example.org')).toBeNull();
      expect(notice()).toBe('Dee: waiting for a second administrator. Nothing has changed yet.');
      const card = byTestId('approval-dee@example.org');
      expect(card.textContent).toContain('New account for Dee (dee@example.org)');
      expect(card.textContent).toContain(en.admin.users.approvals.why.grant);
      // Asked by this admin: another one must approve it.
      expect(byTestId('approval-yours').textContent.trim()).toBe(en.admin.users.approvals.yours);
      expect(byTestId<HTMLButtonElement>('approval-approve').disabled).toBe(true);
    });

    it('does not let you change your own roles, and says why', async () => {
      await openAction(ANA, 'user-edit');
      const inputs = byTestId('edit-user-dialog').querySelectorAll<HTMLInputElement>(
        '[data-testid^="edit-user-role-"] input',
      );
      expect(inputs.length).toBeGreaterThan(0);
      expect([...inputs].every((input) => input.disabled)).toBe(true);
      expect(byTestId('edit-user-own-roles').textContent.trim()).toBe(en.admin.users.edit.ownRoles);
      await click('edit-user-cancel');
    });

    it('explains that a new case or admin role waits for a second admin', async () => {
      await openAction(BEN, 'user-edit');
      byTestId('edit-user-role-admin').querySelector('input')?.click();
      await click('edit-user-submit');
      const grant: StaffApprovalView = {
        ...BEN_RESET,
        id: 'r-3',
        kind: 'grant_roles',
        rolesAfter: ['caseworker', 'coordinator', 'admin'],
        requestedBy: { id: 'u-1', displayName: 'Ana' },
      };
      backend
        .expectOne({ method: 'PATCH', url: `/api/users/${BEN.id}` })
        .flush({ ...BEN, version: 4, pending: grant });
      await stable();
      await reload([ANA, { ...BEN, version: 4 }], [grant]);

      expect(notice()).toBe('Ben: waiting for a second administrator. Nothing has changed yet.');
      expect(byTestId('approval-ben@example.org').textContent).toContain('New roles for Ben');
      expect(byTestId('approval-roles').textContent).toContain('Administrator');
    });

    it('does not offer to disable your own account', async () => {
      await click('user-actions-ana@example.org');
      expect(maybeByTestId('user-edit')).not.toBeNull();
      expect(maybeByTestId('user-toggle-status')).toBeNull();
    });
  });

  describe('with a change waiting for a second admin', () => {
    beforeEach(async () => {
      await setUp(false, [BEN_RESET]);
    });

    it('says what waits and why, and the second admin approves it with step-up and gets the password', async () => {
      const card = byTestId('approval-ben@example.org');
      expect(card.textContent).toContain('Reset the password of Ben (ben@example.org)');
      expect(card.textContent).toContain(en.admin.users.approvals.why.reset);
      expect(card.textContent).toContain('Asked by Bo');
      expect(maybeByTestId('approval-yours')).toBeNull();

      await click('approval-approve');
      backend
        .expectOne({ method: 'POST', url: '/api/users/approvals/r-1/approve' })
        .flush(apiError('step_up_required'), { status: 403, statusText: 'Forbidden' });
      await stable();
      type(byTestId<HTMLInputElement>('step-up-password'), 'my long passphrase');
      type(byTestId<HTMLInputElement>('step-up-code'), '123456');
      await click('step-up-submit');
      backend.expectOne('/api/auth/step-up').flush({ stepUpUntil: new Date().toISOString() });
      await stable();
      backend
        .expectOne({ method: 'POST', url: '/api/users/approvals/r-1/approve' })
        .flush({ user: { ...BEN, mustChangePassword: true }, oneTimePassword: 'approved-otp-7' });
      await stable();
      await reload([ANA, { ...BEN, mustChangePassword: true }]);

      expect(byTestId('one-time-password').textContent.trim()).toBe('approved-otp-7');
      expect(notice()).toBe('Approved and done for Ben.');
      expect(maybeByTestId('staff-approvals')).toBeNull();
      expect(snackBar.opened).toEqual([]);
    });

    it('withdraws a waiting change', async () => {
      await click('approval-cancel');
      backend
        .expectOne({ method: 'POST', url: '/api/users/approvals/r-1/cancel' })
        .flush(null, { status: 204, statusText: 'No Content' });
      await stable();
      await reload([ANA, BEN, CHI]);
      expect(notice()).toBe('The request for Ben was withdrawn.');
    });
  });

  describe('on a wide screen', () => {
    beforeEach(async () => {
      await setUp(true);
    });

    it('shows a table with a row per account', () => {
      const table = (fixture.nativeElement as HTMLElement).querySelector('table');
      expect(table).not.toBeNull();
      const rows = table?.querySelectorAll('tr[data-testid^="user-row-"]') ?? [];
      expect([...rows].map((row) => (row as HTMLElement).dataset['testid'])).toEqual([
        'user-row-ana@example.org',
        'user-row-ben@example.org',
        'user-row-chi@example.org',
      ]);
      expect(
        [...(table?.querySelectorAll('th') ?? [])].map((th) => th.getAttribute('scope')),
      ).toEqual(['col', 'col', 'col', 'col', 'col']);
    });
  });
});
