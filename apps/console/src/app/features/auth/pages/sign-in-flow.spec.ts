import { Clipboard } from '@angular/cdk/clipboard';
import { HttpHeaders, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideRouter, Router, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import type { MfaEnrolment } from '@harbour/domain';
import en from '../../../../assets/i18n/en.json';
import { byTestId, maybeByTestId, type } from '../../../../testing/dom';
import { FakeClipboard } from '../../../../testing/fake-clipboard';
import { FakeSnackBar } from '../../../../testing/fake-snack-bar';
import { provideTranslocoTesting } from '../../../../testing/i18n';
import { provideNoAnimations } from '../../../../testing/material';
import { apiError, sessionInfo } from '../../../../testing/session';
import { SessionStore } from '../../../core/auth/session.store';
import { errorInterceptor } from '../../../core/http/error.interceptor';
import { provideAppIcons } from '../../../core/icons/icons';
import { signInRoutes } from '../auth.routes';
import { StubPage } from '../../../../testing/stub-page';

const QR_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><path d="M0 0h1v1H0z"/></svg>';
const ENROLMENT: MfaEnrolment = {
  secret: 'JBSWY3DPEHPK3PXP',
  otpauthUri: 'otpauth://totp/Harbour:ana@example.org?secret=JBSWY3DPEHPK3PXP&issuer=Harbour',
  qrSvg: QR_SVG,
};
const RECOVERY_CODES = Array.from({ length: 10 }, (_, i) => `rc${i}-abcd-efgh`);

describe('signing in', () => {
  let harness: RouterTestingHarness;
  let backend: HttpTestingController;
  let snackBar: FakeSnackBar;
  let router: Router;
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
            { path: 'sign-in', children: signInRoutes },
            { path: '**', component: StubPage },
          ],
          withComponentInputBinding(),
        ),
        { provide: MatSnackBar, useValue: snackBar },
        { provide: Clipboard, useValue: new FakeClipboard() },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
    store = TestBed.inject(SessionStore);
    store.clear('signedOut');
    harness = await RouterTestingHarness.create();
  });

  afterEach(() => {
    backend.verify();
    jest.useRealTimers();
  });

  async function stable(): Promise<void> {
    await harness.fixture.whenStable();
  }

  function fillAndSubmit(): void {
    type(byTestId<HTMLInputElement>('sign-in-email'), ' ana@example.org ');
    type(byTestId<HTMLInputElement>('sign-in-password'), 'correct horse battery staple');
    byTestId<HTMLButtonElement>('sign-in-submit').click();
  }

  async function submitPassword(): Promise<void> {
    fillAndSubmit();
    await stable();
  }

  it('goes from password to code to the page the person asked for', async () => {
    await harness.navigateByUrl('/sign-in?returnUrl=%2Fadmin%2Fusers');
    expect(byTestId('sign-in-ended').textContent.trim()).toBe(en.auth.ended.signedOut);

    await submitPassword();
    const login = backend.expectOne('/api/auth/login');
    expect(login.request.method).toBe('POST');
    expect(login.request.body).toEqual({
      email: 'ana@example.org',
      password: 'correct horse battery staple',
    });
    login.flush({ stage: 'mfa' });
    await stable();
    expect(router.url).toBe('/sign-in/mfa?returnUrl=%2Fadmin%2Fusers');

    const code = byTestId<HTMLInputElement>('mfa-code-input');
    expect(code.getAttribute('inputmode')).toBe('numeric');
    expect(code.getAttribute('autocomplete')).toBe('one-time-code');
    type(code, '123 456');
    byTestId<HTMLButtonElement>('mfa-submit').click();
    await stable();

    const verify = backend.expectOne('/api/auth/mfa/verify');
    expect(verify.request.body).toEqual({ code: '123456' });
    verify.flush({ session: sessionInfo({ roles: ['admin'] }) });
    await stable();

    expect(router.url).toBe('/admin/users');
    expect(store.status()).toBe('authenticated');
    expect(store.hasPermission('staff:manage')).toBe(true);
    expect(snackBar.opened).toEqual([]);
  });

  it('shows and hides the password on request', async () => {
    await harness.navigateByUrl('/sign-in');
    const password = byTestId<HTMLInputElement>('sign-in-password');
    expect(password.type).toBe('password');

    byTestId<HTMLButtonElement>('sign-in-password-toggle').click();
    await stable();
    expect(password.type).toBe('text');
    expect(byTestId('sign-in-password-toggle').getAttribute('aria-label')).toBe(
      en.common.hidePassword,
    );
  });

  it('accepts a recovery code instead of a code from the app', async () => {
    await harness.navigateByUrl('/sign-in/mfa');
    byTestId<HTMLButtonElement>('mfa-recovery-toggle').click();
    await stable();
    expect(maybeByTestId('mfa-code-input')).toBeNull();

    type(byTestId<HTMLInputElement>('mfa-recovery-code-input'), ' rc1-abcd-efgh ');
    byTestId<HTMLButtonElement>('mfa-submit').click();
    await stable();

    const verify = backend.expectOne('/api/auth/mfa/verify');
    expect(verify.request.body).toEqual({ recoveryCode: 'rc1-abcd-efgh' });
    verify.flush({ session: sessionInfo() });
    await stable();
    expect(router.url).toBe('/');
  });

  it('sets up the authenticator, then shows the recovery codes once before going on', async () => {
    await harness.navigateByUrl('/sign-in');
    await submitPassword();
    backend.expectOne('/api/auth/login').flush({ stage: 'enrol' });
    await stable();
    expect(router.url).toBe('/sign-in/enrol');

    const enrol = backend.expectOne('/api/auth/mfa/enrol');
    expect(enrol.request.method).toBe('POST');
    enrol.flush(ENROLMENT);
    await stable();

    const qr = byTestId<HTMLImageElement>('enrol-qr');
    const src = qr.getAttribute('src') ?? '';
    expect(src.startsWith('data:image/svg+xml;base64,')).toBe(true);
    expect(atob(src.slice('data:image/svg+xml;base64,'.length))).toBe(QR_SVG);
    expect(qr.getAttribute('alt')).toBe(en.auth.enrol.qrAlt);
    expect(byTestId('enrol-secret').textContent.trim()).toBe('JBSW Y3DP EHPK 3PXP');

    type(byTestId<HTMLInputElement>('enrol-code-input'), '654321');
    byTestId<HTMLButtonElement>('enrol-submit').click();
    await stable();
    const confirm = backend.expectOne('/api/auth/mfa/confirm');
    expect(confirm.request.body).toEqual({ code: '654321' });
    confirm.flush({ session: sessionInfo(), recoveryCodes: RECOVERY_CODES });
    await stable();

    const codes = byTestId('recovery-codes').querySelectorAll('li');
    expect([...codes].map((code) => code.textContent.trim())).toEqual(RECOVERY_CODES);
    expect(maybeByTestId('enrol-qr')).toBeNull();
    // Not signed in here until the codes are saved.
    expect(store.status()).toBe('anonymous');

    byTestId<HTMLButtonElement>('recovery-codes-confirm').click();
    await stable();
    expect(router.url).toBe('/sign-in/enrol');
    expect(document.body.textContent).toContain(en.auth.recoveryCodes.savedRequired);

    byTestId('recovery-codes-saved').querySelector('input')?.click();
    await stable();
    byTestId<HTMLButtonElement>('recovery-codes-confirm').click();
    await stable();

    expect(router.url).toBe('/');
    expect(store.status()).toBe('authenticated');
  });

  it('says when the email or password is wrong, in place and without a snack bar', async () => {
    await harness.navigateByUrl('/sign-in');
    await submitPassword();
    backend.expectOne('/api/auth/login').flush(apiError('invalid_credentials', 'ref-77'), {
      status: 401,
      statusText: 'Unauthorized',
    });
    await stable();

    const error = byTestId('sign-in-error');
    expect(error.getAttribute('role')).toBe('alert');
    expect(error.textContent).toContain(en.errors.invalid_credentials);
    expect(error.textContent).toContain('Reference: ref-77');
    expect(router.url).toBe('/sign-in');
    expect(snackBar.opened).toEqual([]);
  });

  it('says how long to wait when rate limited, and keeps the button disabled until then', async () => {
    await harness.navigateByUrl('/sign-in');
    jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] });
    fillAndSubmit();
    TestBed.tick();
    backend.expectOne('/api/auth/login').flush(apiError('rate_limited'), {
      status: 429,
      statusText: 'Too Many Requests',
      headers: new HttpHeaders({ 'Retry-After': '90' }),
    });
    TestBed.tick();

    expect(byTestId('sign-in-error').textContent).toContain(
      'Too many attempts. Wait 1:30 (minutes:seconds), then try again.',
    );
    const submit = byTestId<HTMLButtonElement>('sign-in-submit');
    expect(submit.getAttribute('aria-disabled')).toBe('true');
    submit.click();
    backend.expectNone('/api/auth/login');

    jest.advanceTimersByTime(60_000);
    TestBed.tick();
    expect(byTestId('sign-in-error').textContent).toContain('Wait 0:30');

    jest.advanceTimersByTime(30_000);
    TestBed.tick();
    expect(submit.getAttribute('aria-disabled')).toBeNull();
  });

  it('explains a locked account', async () => {
    await harness.navigateByUrl('/sign-in');
    await submitPassword();
    backend
      .expectOne('/api/auth/login')
      .flush(apiError('account_locked'), { status: 429, statusText: 'Too Many Requests' });
    await stable();
    expect(byTestId('sign-in-error').textContent).toContain(en.errors.account_locked);
  });

  it('starts again at the password when the code step has expired', async () => {
    await harness.navigateByUrl('/sign-in/mfa?returnUrl=%2Freports');
    type(byTestId<HTMLInputElement>('mfa-code-input'), '123456');
    byTestId<HTMLButtonElement>('mfa-submit').click();
    await stable();
    backend
      .expectOne('/api/auth/mfa/verify')
      .flush(apiError('unauthenticated'), { status: 401, statusText: 'Unauthorized' });
    await stable();

    expect(router.url).toBe('/sign-in?returnUrl=%2Freports');
    expect(byTestId('sign-in-ended').textContent.trim()).toBe(en.auth.ended.signInExpired);
  });

  it('tells staff who are not administrators, after the right code, that the organisation is in lockdown', async () => {
    await harness.navigateByUrl('/sign-in/mfa?returnUrl=%2Fpeople');
    type(byTestId<HTMLInputElement>('mfa-code-input'), '123456');
    byTestId<HTMLButtonElement>('mfa-submit').click();
    await stable();
    backend
      .expectOne('/api/auth/mfa/verify')
      .flush(apiError('lockdown_active'), { status: 403, statusText: 'Forbidden' });
    await stable();

    expect(router.url).toBe('/sign-in');
    expect(store.status()).toBe('anonymous');
    expect(byTestId('sign-in-ended').textContent.trim()).toBe(en.auth.ended.lockdownSignIn);
    expect(snackBar.opened).toEqual([]);
  });

  it('tells someone without a second factor yet, at the password, that the organisation is in lockdown', async () => {
    await harness.navigateByUrl('/sign-in');
    await submitPassword();
    backend
      .expectOne('/api/auth/login')
      .flush(apiError('lockdown_active'), { status: 403, statusText: 'Forbidden' });
    await stable();
    expect(byTestId('sign-in-error').textContent).toContain(en.auth.ended.lockdownSignIn);
  });

  it('rejects a wrong code and clears it', async () => {
    await harness.navigateByUrl('/sign-in/mfa');
    const input = byTestId<HTMLInputElement>('mfa-code-input');
    type(input, '000000');
    byTestId<HTMLButtonElement>('mfa-submit').click();
    await stable();
    backend
      .expectOne('/api/auth/mfa/verify')
      .flush(apiError('invalid_code'), { status: 401, statusText: 'Unauthorized' });
    await stable();

    expect(byTestId('mfa-error').textContent).toContain(en.errors.invalid_code);
    expect(input.value).toBe('');
  });

  it('never follows a returnUrl to another site', async () => {
    await harness.navigateByUrl('/sign-in/mfa?returnUrl=%2F%2Fevil.example');
    type(byTestId<HTMLInputElement>('mfa-code-input'), '123456');
    byTestId<HTMLButtonElement>('mfa-submit').click();
    await stable();
    backend.expectOne('/api/auth/mfa/verify').flush({ session: sessionInfo() });
    await stable();
    expect(router.url).toBe('/');
  });
});
