import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import type { ComponentFixture } from '@angular/core/testing';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideRouter } from '@angular/router';
import type { DayView, FollowUpView } from '@harbour/domain';
import en from '../../../../assets/i18n/en.json';
import { byTestId, maybeByTestId, settle } from '../../../../testing/dom';
import { FakeSnackBar } from '../../../../testing/fake-snack-bar';
import { provideTranslocoTesting } from '../../../../testing/i18n';
import { provideNoAnimations } from '../../../../testing/material';
import { apiError, sessionInfo } from '../../../../testing/session';
import { SessionStore } from '../../../core/auth/session.store';
import { localIsoDate } from '../../../core/cases/local-date';
import { errorInterceptor } from '../../../core/http/error.interceptor';
import { provideAppIcons } from '../../../core/icons/icons';
import { Clock } from '../../../core/time/clock';
import { BackupsStore } from '../data/backups.store';
import { DayStore } from '../data/day.store';
import { HomeStore } from '../data/home.store';
import { HomePage } from './home-page';

/** Noon on 2026-06-10 in the browser's zone: "today" is 2026-06-10 whatever the zone. */
const NOW = new Date(2026, 5, 10, 12, 0, 0).getTime();
const TODAY = '2026-06-10';

function followUp(overrides: Partial<FollowUpView>): FollowUpView {
  return {
    id: '0190a000-0000-7000-8000-000000000001',
    personId: '0190a000-0000-7000-8000-0000000000aa',
    personCode: 'HB-7K2Q-M9XF',
    needId: null,
    referralId: null,
    source: 'manual',
    text: 'Call back about the clinic',
    dueOn: TODAY,
    assignedTo: '0190a000-0000-7000-8000-0000000000cc',
    assignedToName: 'Ana',
    status: 'open',
    snoozedCount: 0,
    completedAt: null,
    completedBy: null,
    createdBy: '0190a000-0000-7000-8000-0000000000cc',
    createdAt: '2026-06-01T09:00:00.000Z',
    version: 3,
    ...overrides,
  };
}

const EMPTY: DayView = {
  today: TODAY,
  overdue: [],
  dueToday: [],
  upcoming: [],
  staleReferrals: [],
  staleReferralDays: 14,
  recentlySeen: [],
  drafts: [],
};

const BUSY: DayView = {
  ...EMPTY,
  overdue: [
    followUp({ id: '0190a000-0000-7000-8000-000000000002', text: 'Old one', dueOn: '2026-06-01' }),
  ],
  dueToday: [
    followUp({}),
    followUp({
      id: '0190a000-0000-7000-8000-000000000003',
      source: 'stale_referral',
      text: null,
      referralId: '0190a000-0000-7000-8000-0000000000dd',
    }),
  ],
  upcoming: [followUp({ id: '0190a000-0000-7000-8000-000000000004', dueOn: '2026-06-12' })],
  staleReferrals: [
    {
      id: '0190a000-0000-7000-8000-0000000000dd',
      personId: '0190a000-0000-7000-8000-0000000000aa',
      personCode: 'HB-7K2Q-M9XF',
      partnerName: 'Clinic North',
      status: 'sent',
      since: '2026-05-20T09:00:00.000Z',
      createdAt: '2026-05-19T09:00:00.000Z',
    },
  ],
  recentlySeen: [
    {
      personId: '0190a000-0000-7000-8000-0000000000aa',
      personCode: 'HB-7K2Q-M9XF',
      lastSeenOn: '2026-06-08',
    },
  ],
};

/** The caseworker's day on the home page. */
describe('HomePage day view', () => {
  let fixture: ComponentFixture<HomePage>;
  let backend: HttpTestingController;

  async function open(day: DayView): Promise<void> {
    TestBed.configureTestingModule({
      imports: [HomePage],
      providers: [
        provideHttpClient(withInterceptors([errorInterceptor])),
        provideHttpClientTesting(),
        provideRouter([]),
        provideTranslocoTesting(),
        provideAppIcons(),
        provideNoAnimations(),
        { provide: MatSnackBar, useValue: new FakeSnackBar() },
        { provide: Clock, useValue: { now: () => NOW } },
        HomeStore,
        BackupsStore,
        DayStore,
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    TestBed.inject(SessionStore).signIn(sessionInfo({ roles: ['caseworker'] }));
    fixture = TestBed.createComponent(HomePage);
    await fixture.whenStable();
    const request = backend.expectOne((r) => r.url === '/api/me/day');
    expect(request.request.params.get('today')).toBe(localIsoDate(NOW));
    request.flush(day);
    await settle();
    await fixture.whenStable();
  }

  const text = (testId: string): string =>
    (maybeByTestId(testId)?.textContent ?? '').replace(/\s+/g, ' ').trim();

  afterEach(() => {
    backend.verify();
  });

  it('says so, section by section, when the day is empty — and shows no service status', async () => {
    await open(EMPTY);
    expect(text('home-heading')).toBe(en.day.heading);
    expect(text('day-due-empty')).toBe(en.day.dueEmpty);
    expect(text('day-stale-empty')).toBe(en.day.staleEmpty);
    expect(text('day-recently-seen')).toContain(en.day.seenEmpty);
    expect(text('day-drafts')).toContain(en.day.draftsEmpty);
    expect(maybeByTestId('service-status-card')).toBeNull();
  });

  it('lists overdue and due follow-ups with their person, quiet referrals and people seen', async () => {
    await open(BUSY);
    const items = [
      ...(fixture.nativeElement as HTMLElement).querySelectorAll<HTMLElement>(
        '[data-testid="day-follow-up"]',
      ),
    ];
    expect(items.map((i) => i.dataset['overdue'])).toEqual(['true', 'false', 'false']);
    expect(items[0]!.textContent).toContain('Old one');
    expect(items[1]!.textContent).toContain('Call back about the clinic');
    expect(items[2]!.textContent).toContain(en.followUps.staleReferralText);
    const link = items[1]!.querySelector<HTMLAnchorElement>('[data-testid="day-open-person"]');
    expect(link?.getAttribute('href')).toBe('/people/0190a000-0000-7000-8000-0000000000aa');
    expect(text('day-upcoming')).toContain('Call back about the clinic');
    expect(text('day-stale-referrals')).toContain('Clinic North');
    expect(text('day-recently-seen')).toContain('HB-7K2Q-M9XF');
    expect(maybeByTestId('day-due-empty')).toBeNull();
  });

  it('marks a follow-up done with its version, then reads the day and the badge again', async () => {
    await open(BUSY);
    const items = (fixture.nativeElement as HTMLElement).querySelectorAll<HTMLElement>(
      '[data-testid="day-follow-up"]',
    );
    items[1]!.querySelector<HTMLButtonElement>('[data-testid="follow-up-done"]')!.click();
    const patch = backend.expectOne(`/api/follow-ups/${BUSY.dueToday[0]!.id}`);
    expect(patch.request.method).toBe('PATCH');
    expect(patch.request.body).toEqual({ version: 3, action: 'done' });
    patch.flush({ ...BUSY.dueToday[0], status: 'done', version: 4 });
    backend
      .expectOne((r) => r.url === '/api/me/day/counts')
      .flush({ followUpsDue: 2, staleReferrals: 1 });
    backend.expectOne((r) => r.url === '/api/me/day').flush({ ...BUSY, dueToday: [] });
    await settle();
    await fixture.whenStable();
    expect(text('day-notice')).toBe(en.followUps.markedDone);
  });

  it('snoozes to tomorrow from the browser’s today, and shows a refusal in place', async () => {
    await open(BUSY);
    const store = TestBed.inject(DayStore);
    store.snooze(BUSY.dueToday[0]!, '2026-06-11');
    const patch = backend.expectOne(`/api/follow-ups/${BUSY.dueToday[0]!.id}`);
    expect(patch.request.body).toEqual({ version: 3, action: 'snooze', dueOn: '2026-06-11' });
    patch.flush(apiError('follow_up_closed'), { status: 409, statusText: 'Conflict' });
    backend.expectOne((r) => r.url === '/api/me/day').flush(BUSY);
    await settle();
    await fixture.whenStable();
    expect(byTestId('day-error').textContent).toContain(en.errors.follow_up_closed);
  });
});
