import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import type { ComponentFixture } from '@angular/core/testing';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import type { BackupRunSummary, BackupStatus, Role } from '@harbour/domain';
import en from '../../../../assets/i18n/en.json';
import { maybeByTestId, settle } from '../../../../testing/dom';
import { FakeSnackBar } from '../../../../testing/fake-snack-bar';
import { provideTranslocoTesting } from '../../../../testing/i18n';
import { sessionInfo } from '../../../../testing/session';
import { SessionStore } from '../../../core/auth/session.store';
import { errorInterceptor } from '../../../core/http/error.interceptor';
import { DateTimePipe } from '../../../core/i18n/date-time.pipe';
import { provideAppIcons } from '../../../core/icons/icons';
import { BackupsStore } from '../data/backups.store';
import { DayStore } from '../data/day.store';
import { HomeStore } from '../data/home.store';
import { HomePage } from './home-page';

const READY = { status: 'ok', checks: { database: 'ok' } };
const EMPTY_DAY = {
  today: '2026-05-31',
  overdue: [],
  dueToday: [],
  upcoming: [],
  staleReferrals: [],
  staleReferralDays: 14,
  recentlySeen: [],
  drafts: [],
};

function run(overrides: Partial<BackupRunSummary>): BackupRunSummary {
  return {
    kind: 'backup',
    finishedAt: '2026-05-30T08:15:00.000Z',
    fileName: 'harbour-20260530T081500Z.hbk',
    tables: 31,
    rows: 5000,
    bytes: 1_048_576,
    errorCode: null,
    ...overrides,
  };
}

const FRESH: BackupStatus = {
  lastBackup: run({}),
  lastVerifiedRestore: run({ kind: 'verify', finishedAt: '2026-05-29T22:00:00.000Z' }),
  lastFailure: null,
  staleAfterDays: 7,
  backupStale: false,
  verifyStale: false,
};

const NOTHING_YET: BackupStatus = {
  lastBackup: null,
  lastVerifiedRestore: null,
  lastFailure: null,
  staleAfterDays: 7,
  backupStale: true,
  verifyStale: true,
};

/** The backups card of the home page: admins (`keys:manage`) only. */
describe('HomePage backups card', () => {
  let fixture: ComponentFixture<HomePage>;
  let backend: HttpTestingController;

  async function open(roles: Role[]): Promise<void> {
    TestBed.configureTestingModule({
      imports: [HomePage],
      providers: [
        provideHttpClient(withInterceptors([errorInterceptor])),
        provideHttpClientTesting(),
        provideTranslocoTesting(),
        provideAppIcons(),
        { provide: MatSnackBar, useValue: new FakeSnackBar() },
        HomeStore,
        BackupsStore,
        DayStore,
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    TestBed.inject(SessionStore).signIn(sessionInfo({ roles }));
    fixture = TestBed.createComponent(HomePage);
    await fixture.whenStable();
    // Case staff get their day instead of the service status (admins keep the status card).
    const caseRole = roles.includes('caseworker') || roles.includes('coordinator');
    if (caseRole) backend.expectOne((r) => r.url === '/api/me/day').flush(EMPTY_DAY);
    if (!caseRole || roles.includes('admin')) backend.expectOne('/health/ready').flush(READY);
  }

  async function answer(status: BackupStatus): Promise<void> {
    backend.expectOne('/api/backups/status').flush(status);
    await settle();
    await fixture.whenStable();
  }

  const text = (testId: string): string =>
    (maybeByTestId(testId)?.textContent ?? '').replace(/\s+/g, ' ').trim();

  afterEach(() => {
    backend.verify();
  });

  it.each([['caseworker'], ['coordinator'], ['auditor']] as const)(
    'is not shown to a %s, who never asks for it',
    async (role) => {
      await open([role]);
      await fixture.whenStable();
      backend.expectNone('/api/backups/status');
      expect(maybeByTestId('backups-card')).toBeNull();
      // The service status stays for staff without a day to run (here, the auditor).
      expect(maybeByTestId('service-status-card') !== null).toBe(role === 'auditor');
    },
  );

  it('warns an admin, with an icon and words, when there is no backup or rehearsal yet', async () => {
    await open(['admin']);
    await answer(NOTHING_YET);

    expect(maybeByTestId('backups-card')?.dataset['warning']).toBe('true');
    expect(text('last-backup')).toContain(en.home.backups.noBackup);
    expect(text('backup-stale')).toBe('No backup in the last 7 days — run harbour backup');
    expect(text('verify-stale')).toBe(
      'No restore rehearsed in the last 7 days — run harbour backup --verify',
    );
    expect(maybeByTestId('backup-stale')?.querySelector('mat-icon')).not.toBeNull();
    expect(maybeByTestId('backups-ok')).toBeNull();
  });

  it('warns about a stale rehearsal only, and shows a failure since the last backup', async () => {
    await open(['admin']);
    await answer({
      ...FRESH,
      lastVerifiedRestore: run({ kind: 'verify', finishedAt: '2026-05-20T08:00:00.000Z' }),
      verifyStale: true,
      lastFailure: run({
        finishedAt: '2026-05-31T03:00:00.000Z',
        fileName: null,
        errorCode: 'backup_write_failed',
      }),
    });

    expect(maybeByTestId('backup-stale')).toBeNull();
    expect(text('verify-stale')).toContain('No restore rehearsed in the last 7 days');
    const failedAt = new DateTimePipe().transform('2026-05-31T03:00:00.000Z', 'en');
    expect(text('backup-failure')).toBe(
      `The last backup failed on ${failedAt} (code backup_write_failed)`,
    );
  });

  it('shows a fresh backup and rehearsal with their time and rows, and no warning', async () => {
    await open(['admin']);
    await answer(FRESH);

    const pipe = new DateTimePipe();
    expect(text('last-backup')).toContain(
      `Last backup: ${pipe.transform(FRESH.lastBackup!.finishedAt, 'en')} (5,000 rows)`,
    );
    expect(text('last-backup')).toContain('harbour-20260530T081500Z.hbk');
    expect(text('last-verify')).toBe(
      `Last verified restore: ${pipe.transform(FRESH.lastVerifiedRestore!.finishedAt, 'en')}`,
    );
    expect(maybeByTestId('backups-card')?.dataset['warning']).toBe('false');
    expect(maybeByTestId('backup-stale')).toBeNull();
    expect(maybeByTestId('verify-stale')).toBeNull();
    expect(maybeByTestId('backup-failure')).toBeNull();
    expect(text('backups-ok')).toBe('A backup and a rehearsed restore within the last 7 days.');
  });

  it('shows the API error in place when the status cannot be read', async () => {
    await open(['admin']);
    backend
      .expectOne('/api/backups/status')
      .flush(
        { code: 'internal_error', message: 'x', correlationId: 'ref-7' },
        { status: 500, statusText: 'Internal Server Error' },
      );
    await settle();
    await fixture.whenStable();
    expect(text('backups-error')).toContain(en.errors.internal_error);
    expect(maybeByTestId('last-backup')).toBeNull();
  });
});
