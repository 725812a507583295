import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { ActivatedRouteSnapshot, Route, Routes } from '@angular/router';
import { provideRouter, Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import type { Role } from '@harbour/domain';
import { provideTranslocoTesting } from '../testing/i18n';
import { provideNoAnimations } from '../testing/material';
import { sessionInfo } from '../testing/session';
import { StubPage } from '../testing/stub-page';
import { routes } from './app.routes';
import { permissionGuard } from './core/auth/auth.guards';
import { SessionStore } from './core/auth/session.store';
import { provideAppIcons } from './core/icons/icons';
import { AccessLogPage } from './features/audit/pages/access-log-page';
import { ReportsPage } from './features/reports/pages/reports-page';

/** The signed-in part of the app: the children of the top-level `''` route. */
function signedInRoutes(): Routes {
  const shell = routes.find((route) => route.path === '' && route.children !== undefined);
  return shell?.children ?? [];
}

function auditRoute(): Route {
  const route = signedInRoutes().find((candidate) => candidate.path === 'audit');
  if (route === undefined) throw new Error('no /audit route');
  return route;
}

describe('the /audit route', () => {
  it('declares audit:read, checked by permissionGuard before its code is matched', () => {
    const route = auditRoute();
    expect(route.canMatch).toEqual([permissionGuard]);
    expect(route.data).toEqual({ permission: 'audit:read' });
    expect(route.loadChildren).toBeDefined();
    expect(route.component).toBeUndefined();
  });

  describe('navigation', () => {
    let harness: RouterTestingHarness;

    async function visitAs(roles: readonly Role[], appRoutes: Routes): Promise<void> {
      TestBed.configureTestingModule({
        providers: [
          provideRouter(appRoutes),
          provideHttpClient(),
          provideHttpClientTesting(),
          provideTranslocoTesting(),
          provideNoAnimations(),
          provideAppIcons(),
        ],
      });
      TestBed.inject(SessionStore).signIn(sessionInfo({ roles }));
      harness = await RouterTestingHarness.create();
      await harness.navigateByUrl('/audit');
    }

    function deepest(): ActivatedRouteSnapshot {
      let route = TestBed.inject(Router).routerState.snapshot.root;
      while (route.firstChild) route = route.firstChild;
      return route;
    }

    function pageTitle(): string | undefined {
      return deepest().title;
    }

    it('shows a caseworker "page not found"', async () => {
      await visitAs(['caseworker'], routes);
      expect(TestBed.inject(Router).url).toBe('/audit');
      expect(pageTitle()).toBe('notFound.pageTitle');
    });

    it('opens the access log for an auditor', async () => {
      await visitAs(['auditor'], routes);
      expect(pageTitle()).toBe('audit.pageTitle');
      expect(deepest().component).toBe(AccessLogPage);
      expect(harness.routeNativeElement?.tagName).toBe('APP-ACCESS-LOG-PAGE');
    });

    it.each<{ roles: readonly Role[] }>([
      { roles: ['caseworker'] },
      { roles: ['coordinator'] },
      { roles: ['admin'] },
      { roles: ['caseworker', 'coordinator'] },
    ])('never fetches the audit code for $roles', async ({ roles }) => {
      const load = jest.fn(() => Promise.resolve([]));
      await visitAs(roles, [
        {
          path: '',
          children: [
            { ...auditRoute(), loadChildren: load },
            { path: '**', component: StubPage, title: 'not-found' },
          ],
        },
      ]);
      expect(load).not.toHaveBeenCalled();
      expect(pageTitle()).toBe('not-found');
    });

    it('fetches it for an auditor', async () => {
      const load = jest.fn(() => Promise.resolve([{ path: '', component: StubPage }]));
      await visitAs(
        ['auditor'],
        [{ path: '', children: [{ ...auditRoute(), loadChildren: load }] }],
      );
      expect(load).toHaveBeenCalledTimes(1);
    });
  });
});

describe('the /reports route', () => {
  function reportsRoute(): Route {
    const route = signedInRoutes().find((candidate) => candidate.path === 'reports');
    if (route === undefined) throw new Error('no /reports route');
    return route;
  }

  async function visitAs(roles: readonly Role[]): Promise<ActivatedRouteSnapshot> {
    TestBed.configureTestingModule({
      providers: [
        provideRouter(routes),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideTranslocoTesting(),
        provideNoAnimations(),
        provideAppIcons(),
      ],
    });
    TestBed.inject(SessionStore).signIn(sessionInfo({ roles }));
    const harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/reports');
    let route = TestBed.inject(Router).routerState.snapshot.root;
    while (route.firstChild) route = route.firstChild;
    return route;
  }

  it('declares reports:read, checked by permissionGuard before its code is matched', () => {
    const route = reportsRoute();
    expect(route.canMatch).toEqual([permissionGuard]);
    expect(route.data).toEqual({ permission: 'reports:read' });
    expect(route.loadChildren).toBeDefined();
    expect(route.component).toBeUndefined();
  });

  it('opens the dashboard for a coordinator', async () => {
    const page = await visitAs(['coordinator']);
    expect(page.title).toBe('reports.pageTitle');
    expect(page.component).toBe(ReportsPage);
  });

  it('shows a caseworker "page not found"', async () => {
    const page = await visitAs(['caseworker']);
    expect(page.title).toBe('notFound.pageTitle');
  });
});
