import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import type { Role } from '@harbour/domain';
import { sessionInfo } from '../../../testing/session';
import {
  authGuard,
  guestGuard,
  lockdownGuard,
  passwordChangeGuard,
  permissionGuard,
} from './auth.guards';
import { safeReturnUrl } from './return-url';
import { SessionStore } from './session.store';
import { StubPage } from '../../../testing/stub-page';

/** The same guard layout as app.routes.ts, with stub pages. */
const ROUTES = [
  { path: 'sign-in', canActivate: [guestGuard], component: StubPage, title: 'sign-in' },
  { path: 'change-password', canActivate: [authGuard], component: StubPage, title: 'password' },
  {
    path: '',
    canActivateChild: [authGuard, passwordChangeGuard, lockdownGuard],
    children: [
      { path: '', pathMatch: 'full' as const, component: StubPage, title: 'home' },
      { path: 'lockdown', component: StubPage, title: 'lockdown' },
      {
        path: 'admin/users',
        canMatch: [permissionGuard],
        data: { permission: 'staff:manage' },
        component: StubPage,
        title: 'users',
      },
      { path: 'undeclared', canMatch: [permissionGuard], component: StubPage, title: 'x' },
      { path: '**', component: StubPage, title: 'not-found' },
    ],
  },
];

describe('route guards', () => {
  let harness: RouterTestingHarness;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [provideRouter(ROUTES), provideHttpClient(), provideHttpClientTesting()],
    });
    harness = await RouterTestingHarness.create();
  });

  function signIn(roles: readonly Role[], mustChangePassword = false, lockdown = false): void {
    TestBed.inject(SessionStore).signIn(sessionInfo({ roles, mustChangePassword, lockdown }));
  }

  async function visit(url: string): Promise<string> {
    await harness.navigateByUrl(url);
    return TestBed.inject(Router).url;
  }

  function title(): string {
    return (
      TestBed.inject(Router).routerState.snapshot.root.firstChild?.firstChild?.title ??
      TestBed.inject(Router).routerState.snapshot.root.firstChild?.title ??
      ''
    );
  }

  it('sends signed-out people to sign-in, remembering where they were going', async () => {
    TestBed.inject(SessionStore).clear('signedOut');
    expect(await visit('/admin/users?tab=2')).toBe(
      `/sign-in?returnUrl=${encodeURIComponent('/admin/users?tab=2')}`,
    );
    expect(await visit('/')).toBe('/sign-in');
    expect(await visit('/no/such/page')).toBe(
      `/sign-in?returnUrl=${encodeURIComponent('/no/such/page')}`,
    );
  });

  it('lets signed-in people in, and keeps them away from the sign-in page', async () => {
    signIn(['caseworker']);
    expect(await visit('/')).toBe('/');
    expect(await visit('/sign-in')).toBe('/');
  });

  it('sends a person who must change their password to the change-password page first', async () => {
    signIn(['admin'], true);
    expect(await visit('/admin/users')).toBe(
      `/change-password?returnUrl=${encodeURIComponent('/admin/users')}`,
    );
    expect(await visit('/change-password')).toBe('/change-password');
  });

  it('sends every page to the lockdown page while the organisation is in lockdown', async () => {
    signIn(['admin'], false, true);
    expect(await visit('/')).toBe('/lockdown');
    expect(await visit('/admin/users')).toBe('/lockdown');
    expect(await visit('/no/such/page')).toBe('/lockdown');
    expect(await visit('/lockdown')).toBe('/lockdown');
    expect(title()).toBe('lockdown');
    // A one-time password is still changed first (the API allows it to admins).
    signIn(['admin'], true, true);
    expect(await visit('/admin/users')).toBe(
      `/change-password?returnUrl=${encodeURIComponent('/admin/users')}`,
    );
  });

  it('shows admin pages only with their permission; otherwise they are "not found"', async () => {
    signIn(['admin']);
    expect(await visit('/admin/users')).toBe('/admin/users');
    expect(title()).toBe('users');

    signIn(['caseworker']);
    await visit('/');
    expect(await visit('/admin/users')).toBe('/admin/users');
    expect(title()).toBe('not-found');
  });

  it('refuses a route that declares no permission (default deny)', async () => {
    signIn(['admin', 'coordinator']);
    await visit('/undeclared');
    expect(title()).toBe('not-found');
  });
});

describe('safeReturnUrl', () => {
  it.each([
    {
      label: 'a path with query and fragment',
      value: '/admin/users?x=1#top',
      expected: '/admin/users?x=1#top',
    },
    { label: 'home', value: '/', expected: '/' },
    { label: 'an absolute URL', value: 'https://evil.example/', expected: '/' },
    { label: 'a protocol-relative URL', value: '//evil.example/path', expected: '/' },
    { label: 'a backslash', value: '/\\evil.example', expected: '/' },
    { label: 'a javascript: URL', value: 'javascript:alert(1)', expected: '/' },
    { label: 'a relative path', value: 'admin/users', expected: '/' },
    { label: 'the sign-in page', value: '/sign-in', expected: '/' },
    { label: 'a sign-in step', value: '/sign-in/mfa?returnUrl=/x', expected: '/' },
    { label: 'a path that only starts like sign-in', value: '/signing', expected: '/signing' },
    { label: 'a control character', value: '/a\nb', expected: '/' },
    { label: 'an overlong path', value: `/${'a'.repeat(2001)}`, expected: '/' },
  ])('$label', ({ value, expected }) => {
    expect(safeReturnUrl(value)).toBe(expected);
  });

  it('accepts only strings', () => {
    expect(safeReturnUrl(undefined)).toBe('/');
    expect(safeReturnUrl(['/admin'])).toBe('/');
  });
});
