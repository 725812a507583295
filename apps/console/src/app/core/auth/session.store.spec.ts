import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ApplicationInitStatus } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideRouter } from '@angular/router';
import { SESSION_IDLE_MS, STEP_UP_MS } from '@harbour/domain';
import { FakeSnackBar } from '../../../testing/fake-snack-bar';
import { provideTranslocoTesting } from '../../../testing/i18n';
import { apiError, sessionInfo } from '../../../testing/session';
import { errorInterceptor } from '../http/error.interceptor';
import { provideAuth } from './auth.providers';
import { SessionStore, STEP_UP_MARGIN_MS } from './session.store';

const NOW = Date.parse('2026-03-01T10:00:00.000Z');

describe('SessionStore', () => {
  let snackBar: FakeSnackBar;
  const backend = (): HttpTestingController => TestBed.inject(HttpTestingController);

  beforeEach(() => {
    jest.useFakeTimers({ now: NOW });
    snackBar = new FakeSnackBar();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([errorInterceptor])),
        provideHttpClientTesting(),
        provideTranslocoTesting(),
        provideRouter([]),
        { provide: MatSnackBar, useValue: snackBar },
      ],
    });
  });

  afterEach(() => {
    backend().verify();
    jest.useRealTimers();
  });

  it('starts unknown, then is authenticated with the permissions and roles of the session', async () => {
    const store = TestBed.inject(SessionStore);
    expect(store.status()).toBe('unknown');

    const loading = store.load();
    backend()
      .expectOne('/api/auth/session')
      .flush(sessionInfo({ roles: ['admin'], now: NOW }));
    await loading;

    expect(store.status()).toBe('authenticated');
    expect(store.roles()).toEqual(['admin']);
    expect([...store.permissions()].sort()).toEqual([
      'canaries:manage',
      'disclosure:approve',
      'keys:manage',
      'organisation:manage',
      'retention:manage',
      'staff:manage',
    ]);
    expect(store.hasPermission('staff:manage')).toBe(true);
    expect(store.hasPermission('case:read')).toBe(false);
    expect(store.deadline()).toEqual({ at: NOW + SESSION_IDLE_MS, kind: 'idle' });
  });

  it('treats 401 at start-up as signed out, without any message', async () => {
    const store = TestBed.inject(SessionStore);
    const loading = store.load();
    backend()
      .expectOne('/api/auth/session')
      .flush(apiError('unauthenticated'), { status: 401, statusText: 'Unauthorized' });
    await loading;

    expect(store.status()).toBe('anonymous');
    expect(store.session()).toBeNull();
    expect(store.deadline()).toBeNull();
    expect(snackBar.opened).toEqual([]);
  });

  it('never sets the idle deadline later than 15 minutes from now, whatever the server clock says', () => {
    const store = TestBed.inject(SessionStore);
    const session = {
      ...sessionInfo({ now: NOW }),
      idleExpiresAt: new Date(NOW + 60 * 60 * 1000).toISOString(),
    };
    store.signIn(session);
    expect(store.deadline()).toEqual({ at: NOW + SESSION_IDLE_MS, kind: 'idle' });
  });

  it('moves the idle deadline on activity, but never past the absolute limit', () => {
    const store = TestBed.inject(SessionStore);
    store.signIn({
      ...sessionInfo({ now: NOW }),
      absoluteExpiresAt: new Date(NOW + 20 * 60 * 1000).toISOString(),
    });

    jest.setSystemTime(NOW + 10 * 60 * 1000);
    store.touch();

    expect(store.deadline()).toEqual({ at: NOW + 20 * 60 * 1000, kind: 'absolute' });
  });

  it('ignores activity while signed out', () => {
    const store = TestBed.inject(SessionStore);
    store.clear('signedOut');
    store.touch();
    expect(store.deadline()).toBeNull();
  });

  it('forgets everything on clear and remembers why', () => {
    const store = TestBed.inject(SessionStore);
    store.signIn(sessionInfo({ roles: ['coordinator'], now: NOW }));

    expect(store.clear('idle')).toBe(true);
    expect(store.status()).toBe('anonymous');
    expect(store.permissions().size).toBe(0);
    expect(store.endReason()).toBe('idle');
    expect(store.clear('expired')).toBe(false);

    store.signIn(sessionInfo({ now: NOW }));
    expect(store.endReason()).toBeNull();
  });

  describe('step-up freshness', () => {
    it('is not fresh without a step-up, and fresh for five minutes after one', () => {
      const store = TestBed.inject(SessionStore);
      store.signIn(sessionInfo({ now: NOW }));
      expect(store.stepUpFresh()).toBe(false);

      store.noteStepUp();
      expect(store.stepUpFresh()).toBe(true);
      jest.setSystemTime(NOW + STEP_UP_MS - STEP_UP_MARGIN_MS - 1);
      expect(store.stepUpFresh()).toBe(true);
      // Too little left for a request to arrive in time.
      jest.setSystemTime(NOW + STEP_UP_MS - STEP_UP_MARGIN_MS);
      expect(store.stepUpFresh()).toBe(false);
    });

    it("takes the session's step-up, never longer than a whole step-up from now", () => {
      const store = TestBed.inject(SessionStore);
      store.signIn({
        ...sessionInfo({ now: NOW }),
        stepUpUntil: new Date(NOW + 2 * 60 * 1000).toISOString(),
      });
      expect(store.stepUpFresh()).toBe(true);
      jest.setSystemTime(NOW + 2 * 60 * 1000 - STEP_UP_MARGIN_MS);
      expect(store.stepUpFresh()).toBe(false);

      // A server clock far ahead of this device's does not make it last longer.
      jest.setSystemTime(NOW);
      store.signIn({
        ...sessionInfo({ now: NOW }),
        stepUpUntil: new Date(NOW + 60 * 60 * 1000).toISOString(),
      });
      jest.setSystemTime(NOW + STEP_UP_MS);
      expect(store.stepUpFresh()).toBe(false);
    });

    it('forgets the step-up with the session', () => {
      const store = TestBed.inject(SessionStore);
      store.signIn(sessionInfo({ now: NOW }));
      store.noteStepUp();
      store.clear('signedOut');
      expect(store.stepUpFresh()).toBe(false);
      store.signIn(sessionInfo({ now: NOW }));
      expect(store.stepUpFresh()).toBe(false);
    });
  });

  it('marks the session as needing a password change, and updates the organisation', () => {
    const store = TestBed.inject(SessionStore);
    store.signIn(sessionInfo({ now: NOW, lockdown: true }));

    store.requirePasswordChange();
    store.updateOrganisation({ lockdown: false, name: 'New name' });

    expect(store.mustChangePassword()).toBe(true);
    expect(store.session()?.organisation).toMatchObject({ lockdown: false, name: 'New name' });
  });

  describe('start-up initializer', () => {
    beforeEach(() => {
      TestBed.configureTestingModule({ providers: [provideAuth()] });
    });

    it('asks the API for the session before the app starts', async () => {
      const init = TestBed.inject(ApplicationInitStatus);
      expect(init.done).toBe(false);

      backend()
        .expectOne('/api/auth/session')
        .flush(sessionInfo({ now: NOW }));
      await init.donePromise;

      expect(init.done).toBe(true);
      expect(TestBed.inject(SessionStore).status()).toBe('authenticated');
    });

    it('starts signed out when there is no session', async () => {
      const init = TestBed.inject(ApplicationInitStatus);
      backend()
        .expectOne('/api/auth/session')
        .flush(apiError('unauthenticated'), { status: 401, statusText: 'Unauthorized' });
      await init.donePromise;

      expect(TestBed.inject(SessionStore).status()).toBe('anonymous');
      expect(snackBar.opened).toEqual([]);
    });
  });
});
