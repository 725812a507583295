import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideRouter, Router, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import en from '../../../../assets/i18n/en.json';
import { byTestId, maybeByTestId, type } from '../../../../testing/dom';
import { FakeSnackBar } from '../../../../testing/fake-snack-bar';
import { provideTranslocoTesting } from '../../../../testing/i18n';
import { provideNoAnimations } from '../../../../testing/material';
import { apiError, sessionInfo } from '../../../../testing/session';
import { SessionStore } from '../../../core/auth/session.store';
import { errorInterceptor } from '../../../core/http/error.interceptor';
import { provideAppIcons } from '../../../core/icons/icons';
import { changePasswordRoutes } from '../auth.routes';
import { PASSWORD_REJECTION_REASONS } from '../data/password-policy';
import { StubPage } from '../../../../testing/stub-page';

const NEW_PASSWORD = 'lantern velvet pebble orchard';

describe('ChangePasswordPage', () => {
  let harness: RouterTestingHarness;
  let backend: HttpTestingController;
  let snackBar: FakeSnackBar;
  let store: SessionStore;

  beforeEach(async () => {
    snackBar = new FakeSnackBar();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([errorInterceptor])),
        provideHttpClientTesting(),
        provideTranslocoTesting(),
        provideNoAnimations(),
        provideAppIcons(),
        provideRouter(
          [
            { path: 'change-password', children: changePasswordRoutes },
            { path: '**', component: StubPage },
          ],
          withComponentInputBinding(),
        ),
        { provide: MatSnackBar, useValue: snackBar },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    store = TestBed.inject(SessionStore);
    store.signIn(sessionInfo({ mustChangePassword: true }));
    harness = await RouterTestingHarness.create('/change-password?returnUrl=%2Fadmin%2Fusers');
  });

  afterEach(() => {
    backend.verify();
  });

  async function submit(current: string, next: string, confirm = next): Promise<void> {
    type(byTestId<HTMLInputElement>('change-password-current'), current);
    type(byTestId<HTMLInputElement>('change-password-new'), next);
    type(byTestId<HTMLInputElement>('change-password-confirm'), confirm);
    byTestId<HTMLButtonElement>('change-password-submit').click();
    await harness.fixture.whenStable();
  }

  async function reject(...reasons: string[]): Promise<void> {
    await submit('one-time-Pa55', NEW_PASSWORD);
    backend.expectOne('/api/auth/password').flush(
      {
        ...apiError('password_rejected'),
        fields: reasons.map((reason) => ({ path: 'newPassword', reason })),
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await harness.fixture.whenStable();
  }

  it('explains why and shows the policy: length only, passphrases welcome, no composition rules', () => {
    expect(byTestId('change-password-required').textContent.trim()).toBe(
      en.auth.changePassword.required,
    );
    const policy = byTestId('password-policy').textContent;
    expect(policy).toContain('At least 12 characters (at most 256).');
    expect(policy).toContain(en.auth.changePassword.policyPassphrase);
    expect(policy).toContain(en.auth.changePassword.policyNoRules);
  });

  it('lets paste happen and checks length in characters, not bytes', async () => {
    const input = byTestId<HTMLInputElement>('change-password-new');
    expect(input.getAttribute('onpaste')).toBeNull();
    expect(input.getAttribute('autocomplete')).toBe('new-password');

    await submit('one-time-Pa55', 'short one');
    backend.expectNone('/api/auth/password');
    expect(document.body.textContent).toContain(en.errors.passwordReasons.too_short);

    // Twelve Thai characters are twelve characters.
    await submit('one-time-Pa55', 'กขคงจฉชซฌญฎฏ');
    backend.expectOne('/api/auth/password').flush(null, { status: 204, statusText: 'No Content' });
    backend.expectOne('/api/auth/session').flush(sessionInfo());
    await harness.fixture.whenStable();
  });

  it('asks for the same new password twice', async () => {
    await submit('one-time-Pa55', NEW_PASSWORD, `${NEW_PASSWORD}!`);
    backend.expectNone('/api/auth/password');
    expect(byTestId('change-password-mismatch').textContent.trim()).toBe(
      en.auth.changePassword.mismatch,
    );
  });

  it.each(PASSWORD_REJECTION_REASONS)('shows the reason %s in words', async (reason) => {
    await reject(reason);
    const rejections = byTestId('change-password-rejections');
    expect(rejections.getAttribute('role')).toBe('alert');
    expect(rejections.textContent).toContain(en.errors.passwordReasons[reason]);
    expect(snackBar.opened).toEqual([]);
  });

  it('shows every reason given, and a general one for a reason it does not know', async () => {
    await reject('common_password', 'context_word', 'something_new');
    const items = [...byTestId('change-password-rejections').querySelectorAll('li')].map((item) =>
      item.textContent.trim(),
    );
    expect(items).toEqual([
      en.errors.passwordReasons.common_password,
      en.errors.passwordReasons.context_word,
      en.errors.password_rejected,
    ]);
  });

  it('says when the current password is wrong', async () => {
    await submit('wrong', NEW_PASSWORD);
    backend
      .expectOne('/api/auth/password')
      .flush(apiError('invalid_credentials'), { status: 401, statusText: 'Unauthorized' });
    await harness.fixture.whenStable();

    expect(byTestId('change-password-error').textContent).toContain(
      en.auth.changePassword.wrongCurrent,
    );
    expect(store.status()).toBe('authenticated');
  });

  it('carries on where the person was going once the password is changed', async () => {
    await submit('one-time-Pa55', NEW_PASSWORD);
    const change = backend.expectOne('/api/auth/password');
    expect(change.request.body).toEqual({
      currentPassword: 'one-time-Pa55',
      newPassword: NEW_PASSWORD,
    });
    change.flush(null, { status: 204, statusText: 'No Content' });
    await harness.fixture.whenStable();
    backend.expectOne('/api/auth/session').flush(sessionInfo({ mustChangePassword: false }));
    await harness.fixture.whenStable();

    expect(store.mustChangePassword()).toBe(false);
    expect(TestBed.inject(Router).url).toBe('/admin/users');
    expect(maybeByTestId('change-password-submit')).toBeNull();
  });
});
