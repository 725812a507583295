import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideRouter, Router } from '@angular/router';
import { SESSION_ABSOLUTE_MS } from '@harbour/domain';
import en from '../../../assets/i18n/en.json';
import { byTestId, maybeByTestId } from '../../../testing/dom';
import { FakeSnackBar } from '../../../testing/fake-snack-bar';
import { provideTranslocoTesting } from '../../../testing/i18n';
import { provideNoAnimations } from '../../../testing/material';
import { sessionInfo } from '../../../testing/session';
import { errorInterceptor } from '../http/error.interceptor';
import { sessionActivityInterceptor } from './session-activity.interceptor';
import { SessionTimeout } from './session-timeout.service';
import { SessionStore } from './session.store';
import { StubPage } from '../../../testing/stub-page';

const NOW = Date.parse('2026-03-01T10:00:00.000Z');
const MINUTE = 60 * 1000;

describe('SessionTimeout', () => {
  let backend: HttpTestingController;
  let store: SessionStore;
  let router: Router;

  beforeEach(async () => {
    jest.useFakeTimers({ now: NOW, doNotFake: ['queueMicrotask', 'nextTick'] });
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([sessionActivityInterceptor, errorInterceptor])),
        provideHttpClientTesting(),
        provideTranslocoTesting(),
        provideNoAnimations(),
        provideRouter([{ path: '**', component: StubPage }]),
        { provide: MatSnackBar, useValue: new FakeSnackBar() },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    store = TestBed.inject(SessionStore);
    router = TestBed.inject(Router);
    TestBed.inject(SessionTimeout);
    await router.navigateByUrl('/people/42');
  });

  afterEach(() => {
    backend.verify();
    jest.useRealTimers();
  });

  /** Moves the clock on and lets timers, promises and change detection run. */
  async function advance(ms: number): Promise<void> {
    await jest.advanceTimersByTimeAsync(ms);
    TestBed.tick();
  }

  function signIn(session = sessionInfo({ now: Date.now() })): void {
    store.signIn(session);
    TestBed.tick();
  }

  it('warns two minutes before the idle deadline, with a countdown', async () => {
    signIn();

    await advance(13 * MINUTE - 1000);
    expect(maybeByTestId('session-warning-dialog')).toBeNull();

    await advance(1000);
    const dialog = byTestId('session-warning-dialog');
    expect(byTestId('session-warning-countdown').textContent.trim()).toBe(
      'You will be signed out in 2:00.',
    );
    expect(dialog.closest('[role="alertdialog"]')).not.toBeNull();

    await advance(30 * 1000);
    expect(byTestId('session-warning-countdown').textContent.trim()).toBe(
      'You will be signed out in 1:30.',
    );
  });

  it('"Stay signed in" asks the API for the session and moves the deadline', async () => {
    signIn();
    await advance(13 * MINUTE);

    byTestId<HTMLButtonElement>('session-warning-stay').click();
    backend.expectOne('/api/auth/session').flush(sessionInfo({ now: Date.now() }));
    await advance(0);

    expect(maybeByTestId('session-warning-dialog')).toBeNull();
    await advance(5 * MINUTE);
    expect(store.status()).toBe('authenticated');
    expect(maybeByTestId('session-warning-dialog')).toBeNull();
  });

  it('signs out at the deadline and says why', async () => {
    signIn();
    await advance(13 * MINUTE);
    expect(maybeByTestId('session-warning-dialog')).not.toBeNull();

    await advance(2 * MINUTE);

    expect(store.status()).toBe('anonymous');
    expect(store.endReason()).toBe('idle');
    expect(router.url).toBe(`/sign-in?returnUrl=${encodeURIComponent('/people/42')}`);
    expect(maybeByTestId('session-warning-dialog')).toBeNull();
    expect(en.auth.ended.idle).toContain('15 minutes');
  });

  it('"Sign out" in the warning signs out through the API', async () => {
    signIn();
    await advance(13 * MINUTE);

    byTestId<HTMLButtonElement>('session-warning-sign-out').click();
    backend.expectOne('/api/auth/logout').flush(null, { status: 204, statusText: 'No Content' });
    await advance(0);

    expect(store.endReason()).toBe('signedOut');
    expect(router.url).toBe('/sign-in');
  });

  it('does not warn somebody who is working: each API answer moves the deadline', async () => {
    signIn();
    await advance(10 * MINUTE);
    TestBed.inject(HttpClient).get('/api/contacts').subscribe();
    backend.expectOne('/api/contacts').flush([]);
    TestBed.tick();

    await advance(5 * MINUTE);
    expect(maybeByTestId('session-warning-dialog')).toBeNull();
    await advance(8 * MINUTE);
    expect(maybeByTestId('session-warning-dialog')).not.toBeNull();
  });

  it('warns about the 8-hour limit, which cannot be extended', async () => {
    const session = {
      ...sessionInfo({ now: Date.now() }),
      absoluteExpiresAt: new Date(Date.now() + 10 * MINUTE).toISOString(),
    };
    signIn(session);

    await advance(8 * MINUTE);
    expect(maybeByTestId('session-warning-stay')).toBeNull();
    expect(byTestId('session-warning-dialog').textContent).toContain('8 hours');
    byTestId<HTMLButtonElement>('session-warning-continue').click();
    await advance(0);
    expect(maybeByTestId('session-warning-dialog')).toBeNull();

    await advance(2 * MINUTE);
    expect(store.endReason()).toBe('absolute');
    expect(SESSION_ABSOLUTE_MS).toBe(8 * 60 * MINUTE);
  });
});
