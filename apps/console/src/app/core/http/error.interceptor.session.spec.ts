import { HttpClient, HttpContext, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpHeaders } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideRouter, Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { FakeSnackBar } from '../../../testing/fake-snack-bar';
import { provideTranslocoTesting } from '../../../testing/i18n';
import { provideNoAnimations } from '../../../testing/material';
import { apiError, sessionInfo } from '../../../testing/session';
import { SessionStore } from '../auth/session.store';
import { AppError } from './app-error';
import { errorInterceptor } from './error.interceptor';
import { MESSAGE_HANDLED_BY_CALLER, STEP_UP_HANDLED_BY_CALLER } from './http-context';
import { StubPage } from '../../../testing/stub-page';

describe('errorInterceptor and the session', () => {
  let http: HttpClient;
  let backend: HttpTestingController;
  let snackBar: FakeSnackBar;
  let store: SessionStore;
  let router: Router;

  beforeEach(async () => {
    snackBar = new FakeSnackBar();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([errorInterceptor])),
        provideHttpClientTesting(),
        provideTranslocoTesting(),
        provideNoAnimations(),
        provideRouter([{ path: '**', component: StubPage }]),
        { provide: MatSnackBar, useValue: snackBar },
      ],
    });
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
    store = TestBed.inject(SessionStore);
    router = TestBed.inject(Router);
    store.signIn(sessionInfo());
    await router.navigateByUrl('/admin/users?tab=1');
  });

  afterEach(() => {
    backend.verify();
  });

  async function fail(
    url: string,
    status: number,
    code: string,
    context?: HttpContext,
    method: 'GET' | 'POST' = 'GET',
  ): Promise<unknown> {
    const request = method === 'GET' ? http.get(url, { context }) : http.post(url, {}, { context });
    const result = firstValueFrom(request).then(
      () => Promise.reject(new Error('expected a failure')),
      (error: unknown) => error,
    );
    backend.expectOne(url).flush(apiError(code), { status, statusText: 'Error' });
    const error = await result;
    await new Promise<void>((resolve) => setTimeout(resolve));
    return error;
  }

  it('ends the session on 401 unauthenticated from an API endpoint, quietly, keeping the page', async () => {
    const error = await fail('/api/users', 401, 'unauthenticated');

    expect(error).toBeInstanceOf(AppError);
    expect(store.status()).toBe('anonymous');
    expect(store.endReason()).toBe('expired');
    expect(router.url).toBe(`/sign-in?returnUrl=${encodeURIComponent('/admin/users?tab=1')}`);
    expect(snackBar.opened).toEqual([]);
  });

  it('navigates once when several requests fail with 401 at the same time', async () => {
    const navigate = jest.spyOn(router, 'navigate');
    const first = firstValueFrom(http.get('/api/a')).catch((e: unknown) => e);
    const second = firstValueFrom(http.get('/api/b')).catch((e: unknown) => e);
    backend
      .expectOne('/api/a')
      .flush(apiError('unauthenticated'), { status: 401, statusText: 'x' });
    backend
      .expectOne('/api/b')
      .flush(apiError('unauthenticated'), { status: 401, statusText: 'x' });
    await Promise.all([first, second]);

    expect(navigate).toHaveBeenCalledTimes(1);
    expect(snackBar.opened).toEqual([]);
  });

  it('leaves 401 from the sign-in endpoints to the sign-in pages', async () => {
    await fail('/api/auth/mfa/verify', 401, 'unauthenticated', undefined, 'POST');

    expect(store.status()).toBe('authenticated');
    expect(router.url).toBe('/admin/users?tab=1');
  });

  it('opens the change-password page on 403 password_change_required', async () => {
    const error = await fail('/api/users', 403, 'password_change_required');

    expect(error).toMatchObject({ code: 'password_change_required' });
    expect(store.mustChangePassword()).toBe(true);
    expect(router.url).toBe(
      `/change-password?returnUrl=${encodeURIComponent('/admin/users?tab=1')}`,
    );
    expect(snackBar.opened).toEqual([]);
  });

  it('opens the lockdown page on 403 lockdown_active, and marks the organisation locked', async () => {
    store.signIn(sessionInfo({ roles: ['admin'] }));
    const error = await fail('/api/users', 403, 'lockdown_active');

    expect(error).toMatchObject({ code: 'lockdown_active' });
    expect(store.lockdown()).toBe(true);
    expect(store.status()).toBe('authenticated');
    expect(router.url).toBe('/lockdown');
    expect(snackBar.opened).toEqual([]);
  });

  it('leaves 403 lockdown_active from the sign-in endpoints to the sign-in pages', async () => {
    await fail('/api/auth/mfa/verify', 403, 'lockdown_active', undefined, 'POST');
    expect(store.lockdown()).toBe(false);
    expect(router.url).toBe('/admin/users?tab=1');
  });

  it('leaves 403 step_up_required to a caller that asks for step-up, without a message', async () => {
    const error = await fail(
      '/api/users',
      403,
      'step_up_required',
      new HttpContext().set(STEP_UP_HANDLED_BY_CALLER, true),
      'POST',
    );

    expect(error).toMatchObject({ code: 'step_up_required', status: 403 });
    expect(snackBar.opened).toEqual([]);
    expect(store.status()).toBe('authenticated');
  });

  it('explains 403 step_up_required when the caller cannot ask for step-up', async () => {
    await fail('/api/users', 403, 'step_up_required', undefined, 'POST');
    expect(snackBar.opened).toHaveLength(1);
  });

  it('shows no message for the codes the caller explains itself, but does for the others', async () => {
    const context = (): HttpContext =>
      new HttpContext().set(MESSAGE_HANDLED_BY_CALLER, ['version_conflict']);
    await fail('/api/users/1', 409, 'version_conflict', context());
    expect(snackBar.opened).toEqual([]);

    await fail('/api/users/1', 500, 'internal_error', context());
    expect(snackBar.opened).toHaveLength(1);
  });

  it('reads Retry-After and the field reasons into the error', async () => {
    const result = firstValueFrom(http.post('/api/auth/login', {})).catch((e: unknown) => e);
    backend.expectOne('/api/auth/login').flush(apiError('rate_limited'), {
      status: 429,
      statusText: 'Too Many Requests',
      headers: new HttpHeaders({ 'Retry-After': '42' }),
    });
    expect(await result).toMatchObject({
      code: 'rate_limited',
      details: { retryAfterSeconds: 42 },
    });

    const rejected = firstValueFrom(http.post('/api/auth/password', {})).catch((e: unknown) => e);
    backend.expectOne('/api/auth/password').flush(
      {
        ...apiError('password_rejected'),
        fields: [
          { path: 'newPassword', reason: 'common_password' },
          { path: 'newPassword', reason: '<b>bad token</b>' },
          'not a field',
        ],
      },
      { status: 400, statusText: 'Bad Request' },
    );
    expect(await rejected).toMatchObject({
      code: 'password_rejected',
      details: { fields: [{ path: 'newPassword', reason: 'common_password' }] },
    });
  });
});
