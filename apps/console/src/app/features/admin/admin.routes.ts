import type { Routes } from '@angular/router';
import { KeysStore } from './data/keys.store';
import { KeysPage } from './pages/keys-page';
import { RetentionStore } from './data/retention.store';
import { RetentionPage } from './pages/retention-page';
import { CanariesStore } from './data/canaries.store';
import { OrganisationStore } from './data/organisation.store';
import { UsersStore } from './data/users.store';
import { LockdownPage } from './pages/lockdown-page';
import { CanariesPage } from './pages/canaries-page';
import { OrganisationPage } from './pages/organisation-page';
import { UsersPage } from './pages/users-page';

/** `/admin/users` (the top-level route requires `staff:manage`). */
export const usersRoutes: Routes = [
  {
    path: '',
    pathMatch: 'full',
    component: UsersPage,
    title: 'admin.users.pageTitle',
    providers: [UsersStore],
  },
];

/** `/admin/organisation` (the top-level route requires `organisation:manage`). */
export const organisationRoutes: Routes = [
  {
    path: '',
    pathMatch: 'full',
    component: OrganisationPage,
    title: 'admin.organisation.pageTitle',
    providers: [OrganisationStore],
  },
];

/**
 * `/lockdown`: where the console sends an admin while the organisation is in lockdown (the
 * top-level route requires `organisation:manage`).
 */
export const lockdownRoutes: Routes = [
  {
    path: '',
    pathMatch: 'full',
    component: LockdownPage,
    title: 'admin.lockdown.pageTitle',
    providers: [OrganisationStore],
  },
];

/** `/admin/canaries` (the top-level route requires `canaries:manage`). */
export const canariesRoutes: Routes = [
  {
    path: '',
    pathMatch: 'full',
    component: CanariesPage,
    title: 'admin.canaries.pageTitle',
    providers: [CanariesStore],
  },
];

/** `/admin/keys` (the top-level route requires `keys:manage`). */
export const keysRoutes: Routes = [
  {
    path: '',
    pathMatch: 'full',
    component: KeysPage,
    title: 'admin.keys.pageTitle',
    providers: [KeysStore],
  },
];

/** `/admin/retention` (the top-level route requires `retention:manage`). */
export const retentionRoutes: Routes = [
  {
    path: '',
    pathMatch: 'full',
    component: RetentionPage,
    title: 'retention.pageTitle',
    providers: [RetentionStore],
  },
];
