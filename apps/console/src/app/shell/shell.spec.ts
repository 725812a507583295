import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import type { ComponentFixture } from '@angular/core/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import type { Role } from '@harbour/domain';
import { byTestId, maybeByTestId, settle } from '../../testing/dom';
import { provideTranslocoTesting } from '../../testing/i18n';
import { provideNoAnimations } from '../../testing/material';
import { sessionInfo } from '../../testing/session';
import { SessionStore } from '../core/auth/session.store';
import { DayCountsStore } from '../core/cases/day-counts.store';
import { provideAppIcons } from '../core/icons/icons';
import { Shell } from './shell';
import { StubPage } from '../../testing/stub-page';

describe('Shell', () => {
  let fixture: ComponentFixture<Shell>;
  let root: HTMLElement;
  let store: SessionStore;

  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [Shell],
      providers: [
        provideRouter([{ path: '**', component: StubPage }]),
        provideTranslocoTesting(),
        provideAppIcons(),
        provideNoAnimations(),
        provideHttpClient(),
        provideHttpClientTesting(),
      ],
    });
    store = TestBed.inject(SessionStore);
  });

  afterEach(() => {
    const backend = TestBed.inject(HttpTestingController);
    // Case staff's navigation asks for the day's counts (the badge has its own test below).
    for (const request of backend.match((r) => r.url === '/api/me/day/counts')) {
      if (!request.cancelled) request.flush({ followUpsDue: 0, staleReferrals: 0 });
    }
    backend.verify();
  });

  async function render(roles: readonly Role[] | null, mustChangePassword = false): Promise<void> {
    if (roles === null) store.clear('signedOut');
    else store.signIn(sessionInfo({ roles, mustChangePassword, displayName: 'Ana' }));
    fixture = TestBed.createComponent(Shell);
    root = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  }

  function navTestIds(): (string | undefined)[] {
    return [...root.querySelectorAll<HTMLElement>('nav a')].map((link) => link.dataset['testid']);
  }

  it('has a banner with the product name, a labelled navigation and a main region', async () => {
    await render(['caseworker']);
    expect(root.querySelector('header [data-testid="app-title"]')?.textContent.trim()).toBe(
      'Harbour',
    );
    expect(root.querySelector('nav')?.getAttribute('aria-label')).toBe('Main navigation');
    expect(root.querySelectorAll('main#main-content')).toHaveLength(1);
  });

  it('moves focus to the main content from the skip link', async () => {
    await render(['caseworker']);
    const skip = root.querySelector<HTMLAnchorElement>('[data-testid="skip-link"]');
    expect(skip?.textContent.trim()).toBe('Skip to main content');
    expect(skip?.getAttribute('href')).toBe('#main-content');

    skip?.click();

    expect(document.activeElement).toBe(root.querySelector('main'));
  });

  it('opens and closes the navigation from the toolbar on narrow screens', async () => {
    await render(['caseworker']);
    const toggle = root.querySelector<HTMLButtonElement>('[data-testid="nav-toggle"]');
    expect(toggle?.getAttribute('aria-label')).toBe('Open navigation');
    expect(toggle?.getAttribute('aria-expanded')).toBe('false');

    toggle?.click();
    await fixture.whenStable();

    expect(toggle?.getAttribute('aria-expanded')).toBe('true');
    expect(toggle?.getAttribute('aria-label')).toBe('Close navigation');
  });

  it('shows signed-out people no navigation and no account menu', async () => {
    await render(null);
    expect(root.querySelector('nav')).toBeNull();
    expect(maybeByTestId('nav-toggle')).toBeNull();
    expect(maybeByTestId('user-menu-button')).toBeNull();
    expect(maybeByTestId('language-menu-button')).not.toBeNull();
  });

  it('shows a caseworker the case pages and the partner directory', async () => {
    await render(['caseworker']);
    expect(navTestIds()).toEqual([
      'nav-home',
      'nav-log-contact',
      'nav-people',
      'nav-intake',
      'nav-partners',
    ]);
    expect(byTestId('nav-log-contact').getAttribute('href')).toBe('/contacts/new');
  });

  it('counts due follow-ups and quiet referrals beside the home entry for case staff only', async () => {
    await render(['caseworker']);
    const backend = TestBed.inject(HttpTestingController);
    const request = backend.expectOne((r) => r.url === '/api/me/day/counts');
    expect(request.request.params.get('today')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    request.flush({ followUpsDue: 2, staleReferrals: 1 });
    await fixture.whenStable();
    const badge = byTestId('day-count-badge');
    expect(badge.textContent.trim()).toBe('3');
    expect(badge.getAttribute('aria-label')).toBe('Needs attention: 3');
    expect(byTestId('nav-home').contains(badge)).toBe(true);
  });

  it('shows no badge when nothing is due, and asks nothing for an admin', async () => {
    await render(['caseworker']);
    const backend = TestBed.inject(HttpTestingController);
    backend
      .expectOne((r) => r.url === '/api/me/day/counts')
      .flush({ followUpsDue: 0, staleReferrals: 0 });
    await fixture.whenStable();
    expect(maybeByTestId('day-count-badge')).toBeNull();
    fixture.destroy();
    TestBed.inject(DayCountsStore).clear();
    await render(['admin']);
    backend.expectNone((r) => r.url === '/api/me/day/counts');
  });

  it('shows an admin the staff, organisation and decoy record pages', async () => {
    await render(['admin']);
    expect(navTestIds()).toEqual([
      'nav-home',
      'nav-partners',
      'nav-users',
      'nav-organisation',
      'nav-canaries',
      'nav-keys',
      'nav-retention',
    ]);
    expect(byTestId('nav-users').getAttribute('href')).toBe('/admin/users');
    expect(byTestId('nav-organisation').getAttribute('href')).toBe('/admin/organisation');
    expect(byTestId('nav-canaries').getAttribute('href')).toBe('/admin/canaries');
    expect(byTestId('nav-keys').getAttribute('href')).toBe('/admin/keys');
    expect(byTestId('nav-retention').getAttribute('href')).toBe('/admin/retention');
  });

  it('in lockdown, shows a banner and only the lockdown page', async () => {
    store.signIn(sessionInfo({ roles: ['admin'], lockdown: true, displayName: 'Ana' }));
    fixture = TestBed.createComponent(Shell);
    root = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
    expect(navTestIds()).toEqual(['nav-lockdown']);
    expect(byTestId('nav-lockdown').getAttribute('href')).toBe('/lockdown');
    expect(byTestId('lockdown-banner').textContent).toContain('Lockdown');
    // Not in lockdown: no banner, no lockdown entry.
    store.updateOrganisation({ lockdown: false });
    await fixture.whenStable();
    expect(maybeByTestId('lockdown-banner')).toBeNull();
    expect(navTestIds()).toEqual([
      'nav-home',
      'nav-partners',
      'nav-users',
      'nav-organisation',
      'nav-canaries',
      'nav-keys',
      'nav-retention',
    ]);
  });

  it('shows an auditor the access log, and nobody else', async () => {
    await render(['auditor']);
    expect(navTestIds()).toEqual(['nav-home', 'nav-partners', 'nav-audit']);
    const link = byTestId('nav-audit');
    expect(link.getAttribute('href')).toBe('/audit');
    expect(link.textContent.trim()).toBe('Access log');
    expect(link.querySelector('mat-icon')?.getAttribute('aria-hidden')).toBe('true');

    for (const roles of [['caseworker', 'coordinator'], ['admin']] as const) {
      fixture.destroy();
      await render(roles);
      expect(navTestIds()).not.toContain('nav-audit');
    }
  });

  it('shows a coordinator the reports, and nobody without reports:read', async () => {
    await render(['coordinator']);
    expect(navTestIds()).toContain('nav-reports');
    const link = byTestId('nav-reports');
    expect(link.getAttribute('href')).toBe('/reports');
    expect(link.textContent.trim()).toBe('Reports');

    for (const roles of [['caseworker'], ['auditor'], ['admin']] as const) {
      fixture.destroy();
      await render(roles);
      expect(navTestIds()).not.toContain('nav-reports');
    }
  });

  it('offers no navigation until a one-time password is changed', async () => {
    await render(['admin'], true);
    expect(root.querySelector('nav')).toBeNull();
    expect(maybeByTestId('user-menu-button')).not.toBeNull();
  });

  it('shows who is signed in, and signs out', async () => {
    await render(['caseworker', 'coordinator']);
    byTestId<HTMLButtonElement>('user-menu-button').click();
    await fixture.whenStable();

    const summary = byTestId('user-summary').textContent;
    expect(summary).toContain('Ana');
    expect(summary).toContain('Caseworker');
    expect(summary).toContain('Coordinator');
    expect(summary).toContain('Safe Steps');

    byTestId<HTMLButtonElement>('sign-out-button').click();
    TestBed.inject(HttpTestingController)
      .expectOne({ method: 'POST', url: '/api/auth/logout' })
      .flush(null, { status: 204, statusText: 'No Content' });
    await settle();
    await fixture.whenStable();

    expect(store.status()).toBe('anonymous');
    expect(TestBed.inject(Router).url).toBe('/sign-in');
    expect(maybeByTestId('user-menu-button')).toBeNull();
  });

  it('still signs out on this screen when the API cannot be reached, and says so', async () => {
    await render(['caseworker']);
    byTestId<HTMLButtonElement>('user-menu-button').click();
    await fixture.whenStable();
    byTestId<HTMLButtonElement>('sign-out-button').click();
    TestBed.inject(HttpTestingController)
      .expectOne('/api/auth/logout')
      .error(new ProgressEvent('error'));
    await settle();
    await fixture.whenStable();

    expect(store.status()).toBe('anonymous');
    expect(store.endReason()).toBe('signedOutOffline');
    expect(TestBed.inject(Router).url).toBe('/sign-in');
  });
});
