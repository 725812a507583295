import type { Routes } from '@angular/router';
import {
  authGuard,
  lockdownGuard,
  passwordChangeGuard,
  permissionGuard,
} from './core/auth/auth.guards';

/**
 * Top-level routes. Every feature is lazy: its routes file (and so its pages, components and
 * data services) is fetched only when first visited. Route `title`s are translation keys,
 * translated by `TranslatedTitleStrategy`.
 *
 * Signed-out people reach only `/sign-in` (and its steps); everything else needs a session, and
 * a session with a one-time password reaches only `/change-password`, and a session in an
 * organisation in lockdown only `/lockdown` (the API refuses everything else). Case, admin, audit and
 * report pages declare the permission they need in `data.permission` (checked by `permissionGuard`; the API checks again).
 */
export const routes: Routes = [
  {
    path: 'sign-in',
    loadChildren: () => import('./features/auth/auth.routes').then((m) => m.signInRoutes),
  },
  {
    path: 'change-password',
    canActivate: [authGuard],
    loadChildren: () => import('./features/auth/auth.routes').then((m) => m.changePasswordRoutes),
  },
  {
    path: '',
    canActivateChild: [authGuard, passwordChangeGuard, lockdownGuard],
    children: [
      {
        path: '',
        loadChildren: () => import('./features/home/home.routes').then((m) => m.homeRoutes),
      },
      {
        path: 'contacts/new',
        canMatch: [permissionGuard],
        data: { permission: 'case:write' },
        loadChildren: () =>
          import('./features/contacts/contacts.routes').then((m) => m.logContactRoutes),
      },
      {
        path: 'people',
        canMatch: [permissionGuard],
        data: { permission: 'case:read' },
        loadChildren: () => import('./features/people/people.routes').then((m) => m.peopleRoutes),
      },
      {
        path: 'intake',
        canMatch: [permissionGuard],
        data: { permission: 'case:write' },
        loadChildren: () => import('./features/intake/intake.routes').then((m) => m.intakeRoutes),
      },
      {
        path: 'partners',
        loadChildren: () =>
          import('./features/partners/partners.routes').then((m) => m.partnersRoutes),
      },
      {
        path: 'admin/users',
        canMatch: [permissionGuard],
        data: { permission: 'staff:manage' },
        loadChildren: () => import('./features/admin/admin.routes').then((m) => m.usersRoutes),
      },
      {
        path: 'admin/organisation',
        canMatch: [permissionGuard],
        data: { permission: 'organisation:manage' },
        loadChildren: () =>
          import('./features/admin/admin.routes').then((m) => m.organisationRoutes),
      },
      {
        path: 'lockdown',
        canMatch: [permissionGuard],
        data: { permission: 'organisation:manage' },
        loadChildren: () => import('./features/admin/admin.routes').then((m) => m.lockdownRoutes),
      },
      {
        path: 'admin/canaries',
        canMatch: [permissionGuard],
        data: { permission: 'canaries:manage' },
        loadChildren: () => import('./features/admin/admin.routes').then((m) => m.canariesRoutes),
      },
      {
        path: 'admin/keys',
        canMatch: [permissionGuard],
        data: { permission: 'keys:manage' },
        loadChildren: () => import('./features/admin/admin.routes').then((m) => m.keysRoutes),
      },
      {
        path: 'admin/retention',
        canMatch: [permissionGuard],
        data: { permission: 'retention:manage' },
        loadChildren: () => import('./features/admin/admin.routes').then((m) => m.retentionRoutes),
      },
      {
        path: 'audit',
        canMatch: [permissionGuard],
        data: { permission: 'audit:read' },
        loadChildren: () => import('./features/audit/audit.routes').then((m) => m.auditRoutes),
      },
      {
        path: 'reports',
        canMatch: [permissionGuard],
        data: { permission: 'reports:read' },
        loadChildren: () =>
          import('./features/reports/reports.routes').then((m) => m.reportsRoutes),
      },
      {
        path: '**',
        loadChildren: () =>
          import('./features/not-found/not-found.routes').then((m) => m.notFoundRoutes),
      },
    ],
  },
];
