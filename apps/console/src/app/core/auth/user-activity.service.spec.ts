import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { DOCUMENT } from '@angular/common';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideRouter, Router } from '@angular/router';
import { FakeSnackBar } from '../../../testing/fake-snack-bar';
import { provideTranslocoTesting } from '../../../testing/i18n';
import { provideNoAnimations } from '../../../testing/material';
import { apiError, sessionInfo } from '../../../testing/session';
import { StubPage } from '../../../testing/stub-page';
import { errorInterceptor } from '../http/error.interceptor';
import { sessionActivityInterceptor } from './session-activity.interceptor';
import { SessionTimeout } from './session-timeout.service';
import { SessionStore } from './session.store';
import { UserActivity } from './user-activity.service';

const NOW = Date.parse('2026-03-01T10:00:00.000Z');
const MINUTE = 60 * 1000;

describe('UserActivity (typing counts as activity)', () => {
  let backend: HttpTestingController;
  let store: SessionStore;
  let activity: UserActivity;

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
    TestBed.inject(SessionTimeout);
    activity = TestBed.inject(UserActivity);
    await TestBed.inject(Router).navigateByUrl('/intake');
  });

  afterEach(() => {
    backend.verify();
    jest.useRealTimers();
  });

  async function advance(ms: number): Promise<void> {
    await jest.advanceTimersByTimeAsync(ms);
    TestBed.tick();
  }

  function keepAlives(): number {
    return backend.match('/api/auth/session').length;
  }

  it('sends nothing while the idle deadline is far off', async () => {
    store.signIn(sessionInfo({ now: Date.now() }));
    await advance(7 * MINUTE);
    expect(activity.noteInput()).toBe(false);
    expect(keepAlives()).toBe(0);
  });

  it('keeps a typing worker signed in past the idle timeout, at most once a minute', async () => {
    store.signIn(sessionInfo({ now: Date.now() }));
    let sent = 0;
    // Someone types every 10 seconds for 40 minutes without any other API call.
    for (let second = 10; second <= 40 * 60; second += 10) {
      await advance(10_000);
      if (activity.noteInput()) {
        sent++;
        const request = backend.expectOne('/api/auth/session');
        request.flush(sessionInfo({ now: Date.now() }));
        TestBed.tick();
      }
    }
    expect(store.authenticated()).toBe(true);
    // Only when less than half the idle timeout is left: one every 7.5 minutes or so.
    expect(sent).toBeGreaterThanOrEqual(5);
    expect(sent).toBeLessThanOrEqual(6);
    expect(store.deadline()!.at - Date.now()).toBeGreaterThan(7 * MINUTE);
  });

  it('does not send a second keep-alive within the minute', async () => {
    store.signIn(sessionInfo({ now: Date.now() }));
    await advance(8 * MINUTE);
    expect(activity.noteInput()).toBe(true);
    // The answer is slow: further typing does not pile up requests.
    expect(activity.noteInput()).toBe(false);
    backend.expectOne('/api/auth/session').error(new ProgressEvent('error'));
    await advance(30_000);
    expect(activity.noteInput()).toBe(false);
    await advance(30_000);
    expect(activity.noteInput()).toBe(true);
    backend.expectOne('/api/auth/session').flush(sessionInfo({ now: Date.now() }));
  });

  it('without input, the session still ends at the idle deadline', async () => {
    store.signIn(sessionInfo({ now: Date.now() }));
    await advance(15 * MINUTE);
    expect(store.authenticated()).toBe(false);
    expect(store.endReason()).toBe('idle');
    expect(keepAlives()).toBe(0);
  });

  it('ignores synthetic events: only a person at the device counts', async () => {
    store.signIn(sessionInfo({ now: Date.now() }));
    await advance(10 * MINUTE);
    const document = TestBed.inject(DOCUMENT);
    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'a', bubbles: true }));
    document.body.dispatchEvent(new Event('input', { bubbles: true }));
    expect(keepAlives()).toBe(0);
  });

  it('never pushes back the 8-hour limit', async () => {
    const now = Date.now();
    store.signIn({
      ...sessionInfo({ now }),
      absoluteExpiresAt: new Date(now + 5 * MINUTE).toISOString(),
    });
    await advance(4 * MINUTE);
    expect(activity.noteInput()).toBe(false);
    expect(keepAlives()).toBe(0);
  });

  it('scales to a short idle timeout (development and tests)', async () => {
    store.signIn(sessionInfo({ now: Date.now(), idleMs: 40_000 }));
    expect(store.idleMs()).toBe(40_000);
    await advance(15_000);
    expect(activity.noteInput()).toBe(false);
    await advance(10_000);
    expect(activity.noteInput()).toBe(true);
    backend.expectOne('/api/auth/session').flush(sessionInfo({ now: Date.now(), idleMs: 40_000 }));
    TestBed.tick();
    expect(store.deadline()).toEqual({ at: Date.now() + 40_000, kind: 'idle' });
  });

  it('ends the session here when the keep-alive finds it ended on the server', async () => {
    store.signIn(sessionInfo({ now: Date.now() }));
    await advance(9 * MINUTE);
    expect(activity.noteInput()).toBe(true);
    backend
      .expectOne('/api/auth/session')
      .flush(apiError('unauthenticated'), { status: 401, statusText: 'Unauthorized' });
    await advance(0);
    expect(store.authenticated()).toBe(false);
    expect(store.endReason()).toBe('expired');
  });
});
