import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import type { ComponentFixture } from '@angular/core/testing';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideRouter } from '@angular/router';
import { TranslocoService } from '@jsverse/transloco';
import {
  RETENTION_CLASSES,
  RETENTION_RULES,
  type PurgeRunView,
  type RetentionDryRun,
  type RetentionSettingsView,
} from '@harbour/domain';
import en from '../../../../assets/i18n/en.json';
import { byTestId, maybeByTestId, settle, type } from '../../../../testing/dom';
import { FakeSnackBar } from '../../../../testing/fake-snack-bar';
import { TRANSLATIONS, provideTranslocoTesting } from '../../../../testing/i18n';
import { provideNoAnimations } from '../../../../testing/material';
import { apiError, freshStepUp, sessionInfo } from '../../../../testing/session';
import { SessionStore } from '../../../core/auth/session.store';
import { errorInterceptor } from '../../../core/http/error.interceptor';
import { provideAppIcons } from '../../../core/icons/icons';
import { RetentionStore } from '../data/retention.store';
import { RetentionPage } from './retention-page';

function settings(
  version = 0,
  keeps: Partial<Record<string, number | null>> = {},
): RetentionSettingsView {
  return {
    version,
    policies: RETENTION_CLASSES.map((c) => {
      const rule = RETENTION_RULES[c];
      return {
        class: c,
        unit: rule.unit,
        keep: c in keeps ? (keeps[c] ?? null) : rule.defaultKeep,
        isDefault: !(c in keeps),
        defaultKeep: rule.defaultKeep,
        min: rule.min,
        max: rule.max,
        foreverAllowed: rule.foreverAllowed,
      };
    }),
  };
}

const DRY_RUN: RetentionDryRun = {
  at: '2026-06-01T12:00:00.000Z',
  classes: [
    {
      class: 'inactive_people',
      keep: 24,
      count: 2,
      oldest: '2023-01-05T10:00:00.000Z',
      newest: '2024-04-30T10:00:00.000Z',
      codes: ['HB-7K2Q-M9XF', 'HB-3MPA-44QR'],
    },
    { class: 'closed_referrals', keep: 24, count: 0, oldest: null, newest: null },
    { class: 'contacts', keep: null, count: 0, oldest: null, newest: null },
    {
      class: 'expired_sessions',
      keep: 30,
      count: 1234,
      oldest: '2026-03-01T00:00:00.000Z',
      newest: '2026-04-30T00:00:00.000Z',
    },
  ],
};

const RUN: PurgeRunView = {
  id: 'run-1',
  trigger: 'job',
  startedAt: '2026-05-31T03:00:00.000Z',
  finishedAt: '2026-05-31T03:00:02.000Z',
  counts: { inactive_people: 3, contacts: 17 },
};

describe('RetentionPage', () => {
  let fixture: ComponentFixture<RetentionPage>;
  let backend: HttpTestingController;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [RetentionPage],
      providers: [
        provideHttpClient(withInterceptors([errorInterceptor])),
        provideHttpClientTesting(),
        provideTranslocoTesting(),
        provideNoAnimations(),
        provideAppIcons(),
        provideRouter([]),
        RetentionStore,
        { provide: MatSnackBar, useValue: new FakeSnackBar() },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    TestBed.inject(SessionStore).signIn(sessionInfo({ roles: ['admin'], id: 'u-1' }));
    fixture = TestBed.createComponent(RetentionPage);
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

  async function load(view = settings(), runs: PurgeRunView[] = []): Promise<void> {
    backend.expectOne('/api/retention').flush(view);
    await stable();
    backend.expectOne('/api/retention/runs').flush(runs);
    await stable();
  }

  async function click(testId: string): Promise<void> {
    byTestId<HTMLButtonElement>(testId).click();
    await stable();
  }

  const text = (testId: string): string => byTestId(testId).textContent.replace(/\s+/g, ' ').trim();

  it('shows every class with its period, bounds and default, and no purge yet', async () => {
    await load();
    for (const c of RETENTION_CLASSES) {
      expect(byTestId<HTMLInputElement>(`keep-${c}`).value).toBe(
        String(RETENTION_RULES[c].defaultKeep),
      );
    }
    expect(text('policy-inactive_people')).toContain(en.retention.classes.inactive_people.name);
    expect(text('policy-inactive_people')).toContain('From 3 to 120 months; default 24.');
    expect(maybeByTestId('forever-inactive_people')).toBeNull();
    expect(maybeByTestId('forever-contacts')).not.toBeNull();
    expect(text('last-run-none')).toBe(en.retention.lastRun.none);
    expect(byTestId<HTMLButtonElement>('retention-save').disabled).toBe(true);
  });

  it('saves only the changed classes after step-up, with the version it loaded', async () => {
    await load(settings(3));
    type(byTestId<HTMLInputElement>('keep-contacts'), '36');
    byTestId<HTMLInputElement>('forever-closed_referrals').click();
    await stable();
    expect(byTestId<HTMLInputElement>('keep-closed_referrals').disabled).toBe(true);
    await click('retention-save');
    backend.expectNone('/api/retention');
    type(byTestId<HTMLInputElement>('step-up-password'), 'my long passphrase');
    type(byTestId<HTMLInputElement>('step-up-code'), '123456');
    await click('step-up-submit');
    backend.expectOne('/api/auth/step-up').flush({ stepUpUntil: freshStepUp() });
    await stable();
    const put = backend.expectOne({ method: 'PUT', url: '/api/retention' });
    expect(put.request.body).toEqual({
      version: 3,
      policies: [
        { class: 'closed_referrals', keep: null },
        { class: 'contacts', keep: 36 },
      ],
    });
    put.flush(settings(4, { contacts: 36, closed_referrals: null }));
    await stable();
    expect(text('retention-saved')).toBe(en.retention.settings.saved);
    expect(byTestId<HTMLButtonElement>('retention-save').disabled).toBe(true);
  });

  it('refuses a period out of bounds before sending, and shows the API refusal', async () => {
    await load();
    type(byTestId<HTMLInputElement>('keep-expired_sessions'), '0');
    await stable();
    expect(text('retention-invalid')).toBe(en.retention.settings.invalid);
    expect(byTestId<HTMLButtonElement>('retention-save').disabled).toBe(true);
    type(byTestId<HTMLInputElement>('keep-expired_sessions'), '14');
    await stable();
    TestBed.inject(SessionStore).signIn(
      sessionInfo({ roles: ['admin'], id: 'u-1', stepUpUntil: freshStepUp() }),
    );
    await click('retention-save');
    backend
      .expectOne({ method: 'PUT', url: '/api/retention' })
      .flush(apiError('retention_period_invalid'), { status: 422, statusText: 'Unprocessable' });
    await stable();
    expect(text('retention-save-error')).toContain(en.errors.retention_period_invalid);
  });

  it('shows a refused period under its own row, with the bounds, in Korean', async () => {
    TestBed.inject(TranslocoService).setActiveLang('ko');
    await load(settings(3));
    type(byTestId<HTMLInputElement>('keep-contacts'), '36');
    type(byTestId<HTMLInputElement>('keep-expired_sessions'), '14');
    await stable();
    TestBed.inject(SessionStore).signIn(
      sessionInfo({ roles: ['admin'], id: 'u-1', stepUpUntil: freshStepUp() }),
    );
    await click('retention-save');
    const put = backend.expectOne({ method: 'PUT', url: '/api/retention' });
    const sent = (put.request.body as { policies: { class: string }[] }).policies;
    const index = sent.findIndex((p) => p.class === 'expired_sessions');
    put.flush(
      {
        ...apiError('retention_period_invalid'),
        fields: [{ path: `policies.${index}.keep`, reason: 'max', limits: { min: 1, max: 10 } }],
      },
      { status: 422, statusText: 'Unprocessable' },
    );
    await stable();
    const korean = TRANSLATIONS.ko as typeof en;
    expect(text('keep-error-expired_sessions')).toBe(
      korean.errors.field.numberBetween.replace('{{min}}', '1').replace('{{max}}', '10'),
    );
    expect(byTestId('keep-expired_sessions').getAttribute('aria-invalid')).toBe('true');
    expect(maybeByTestId('keep-error-contacts')).toBeNull();
    // Typing again in that row takes the refusal away.
    type(byTestId<HTMLInputElement>('keep-expired_sessions'), '7');
    await stable();
    expect(maybeByTestId('keep-error-expired_sessions')).toBeNull();
  });

  it('runs a dry run and shows counts, dates and folded codes; the last purge with its counts', async () => {
    await load(settings(), [RUN]);
    expect(text('last-run-when')).toContain(en.retention.lastRun.triggers.job);
    expect(text('last-run-contacts')).toBe(`${en.retention.classes.contacts.name}: 17`);
    expect(text('last-run-closed_referrals')).toBe(
      `${en.retention.classes.closed_referrals.name}: 0`,
    );
    await click('retention-dry-run-button');
    backend.expectOne({ method: 'POST', url: '/api/retention/dry-run' }).flush(DRY_RUN);
    await stable();
    expect(text('dry-run-count-inactive_people')).toBe('2');
    expect(text('dry-run-count-expired_sessions')).toBe('1,234');
    expect(text('dry-run-count-contacts')).toBe(en.retention.dryRun.keptForever);
    expect(text('dry-run-inactive_people')).toContain('Jan 5, 2023');
    expect(text('dry-run-inactive_people')).toContain('Apr 30, 2024');
    const codes = byTestId<HTMLDetailsElement>('dry-run-codes-inactive_people');
    expect(codes.open).toBe(false);
    expect(codes.textContent).toContain('HB-7K2Q-M9XF');
    expect(maybeByTestId('dry-run-codes-expired_sessions')).toBeNull();
  });
});
