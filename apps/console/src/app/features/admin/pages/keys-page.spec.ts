import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import type { ComponentFixture } from '@angular/core/testing';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideRouter } from '@angular/router';
import type { JobView, KeysView } from '@harbour/domain';
import en from '../../../../assets/i18n/en.json';
import { byTestId, maybeByTestId, settle, type } from '../../../../testing/dom';
import { FakeSnackBar } from '../../../../testing/fake-snack-bar';
import { provideTranslocoTesting } from '../../../../testing/i18n';
import { provideNoAnimations } from '../../../../testing/material';
import { freshStepUp, sessionInfo } from '../../../../testing/session';
import { SessionStore } from '../../../core/auth/session.store';
import { errorInterceptor } from '../../../core/http/error.interceptor';
import { provideAppIcons } from '../../../core/icons/icons';
import { Clock } from '../../../core/time/clock';
import { JOB_POLL_MS, KeysStore } from '../data/keys.store';
import { KeysPage } from './keys-page';

const NOW = Date.parse('2026-06-01T12:00:00.000Z');

const KEYS: KeysView = {
  keys: [
    {
      keyId: 1,
      purpose: 'kek',
      status: 'active',
      createdAt: '2026-01-01T09:00:00.000Z',
      retiredAt: null,
      destroyAfter: null,
    },
    {
      keyId: 2,
      purpose: 'organisation_data',
      status: 'active',
      createdAt: '2026-01-01T09:00:00.000Z',
      retiredAt: null,
      destroyAfter: null,
    },
  ],
  personKeys: { active: 120, decrypt_only: 0, retired: 0, destroyed: 3 },
  backupWindowDays: 35,
  latestRotationJobId: null,
};

function job(overrides: Partial<JobView>): JobView {
  return {
    id: 'job-1',
    kind: 'rotate_data_key',
    state: 'queued',
    done: 0,
    total: null,
    errorCode: null,
    createdAt: '2026-06-01T12:00:00.000Z',
    startedAt: null,
    finishedAt: null,
    ...overrides,
  };
}

describe('KeysPage', () => {
  let fixture: ComponentFixture<KeysPage>;
  let backend: HttpTestingController;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [KeysPage],
      providers: [
        provideHttpClient(withInterceptors([errorInterceptor])),
        provideHttpClientTesting(),
        provideTranslocoTesting(),
        provideNoAnimations(),
        provideAppIcons(),
        provideRouter([]),
        KeysStore,
        { provide: JOB_POLL_MS, useValue: 5 },
        { provide: Clock, useValue: { now: () => NOW } },
        { provide: MatSnackBar, useValue: new FakeSnackBar() },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    TestBed.inject(SessionStore).signIn(sessionInfo({ roles: ['admin'], id: 'u-1' }));
    fixture = TestBed.createComponent(KeysPage);
    await fixture.whenStable();
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

  /** Waits for the next poll of the job and answers it. */
  async function poll(answer: JobView): Promise<void> {
    await new Promise((done) => setTimeout(done, 10));
    backend.expectOne('/api/jobs/job-1').flush(answer);
    await stable();
  }

  const text = (testId: string): string => byTestId(testId).textContent.replace(/\s+/g, ' ').trim();

  it('lists the keys by purpose and state, never material, and the person keys by count', async () => {
    backend.expectOne('/api/keys').flush(KEYS);
    await stable();
    expect(text('key-1')).toContain(en.admin.keys.purposes.kek);
    expect(text('key-status-2')).toBe(en.admin.keys.statuses.active);
    expect(text('person-key-counts')).toBe('Person keys: 120 in use, 3 destroyed by erasure');
    expect(maybeByTestId('key-countdown-2')).toBeNull();
  });

  it('starts a rotation after confirmation and step-up, follows it to the end, then shows the old key retired with its countdown', async () => {
    backend.expectOne('/api/keys').flush(KEYS);
    await stable();
    await click('rotate-key-button');
    await click('confirm-dialog-confirm');
    backend.expectNone('/api/keys/rotations');
    type(byTestId<HTMLInputElement>('step-up-password'), 'my long passphrase');
    type(byTestId<HTMLInputElement>('step-up-code'), '123456');
    await click('step-up-submit');
    backend.expectOne('/api/auth/step-up').flush({ stepUpUntil: freshStepUp() });
    await stable();
    const start = backend.expectOne({ method: 'POST', url: '/api/keys/rotations' });
    expect(start.request.body).toEqual({ purpose: 'organisation_data' });
    start.flush(job({}));
    await stable();
    expect(byTestId<HTMLButtonElement>('rotate-key-button').disabled).toBe(true);

    await poll(job({ state: 'running', done: 250, total: 1000 }));
    expect(text('rotation-status')).toContain('Latest rotation: Data key');
    expect(text('rotation-status')).toContain('In progress: 250 of 1000');
    expect(byTestId('rotation-progress').getAttribute('aria-valuenow')).toBe('25');

    await poll(
      job({ state: 'completed', done: 1000, total: 1000, finishedAt: '2026-06-01T12:05:00.000Z' }),
    );
    backend.expectOne('/api/keys').flush({
      ...KEYS,
      keys: [
        KEYS.keys[0]!,
        {
          ...KEYS.keys[1]!,
          status: 'retired',
          retiredAt: '2026-06-01T12:05:00.000Z',
          destroyAfter: '2026-07-06T12:05:00.000Z',
        },
        { ...KEYS.keys[1]!, keyId: 1001, createdAt: '2026-06-01T12:00:00.000Z' },
      ],
      latestRotationJobId: 'job-1',
    });
    await stable();
    expect(text('rotation-status')).toContain(
      'Done: 1000 re-encrypted or re-wrapped; the old key is retired',
    );
    expect(text('key-status-2')).toBe(en.admin.keys.statuses.retired);
    expect(text('key-countdown-2')).toContain('destroyed in 36 days');
    expect(byTestId<HTMLButtonElement>('rotate-key-button').disabled).toBe(false);
  });

  it('shows what a failed rotation means', async () => {
    backend.expectOne('/api/keys').flush({ ...KEYS, latestRotationJobId: 'job-1' });
    await poll(job({ state: 'failed', done: 10, total: 12, errorCode: 'unreadable_fields' }));
    expect(text('rotation-error')).toBe(en.admin.keys.rotation.errors.unreadable_fields);
    expect(text('rotation-status')).toContain('Stopped after 10 of 12');
  });
});
