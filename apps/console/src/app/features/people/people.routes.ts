import type { Routes } from '@angular/router';
import { permissionGuard } from '../../core/auth/auth.guards';
import { FindPersonPage } from './pages/find-person-page';
import { HandOverPage } from './pages/hand-over-page';
import { MyPeoplePage } from './pages/my-people-page';
import { MergePage } from './pages/merge-page';
import { PersonPage } from './pages/person-page';

/**
 * `/people` (the top-level route requires `case:read`; finding needs `identity:reveal`; the
 * hand-over page is coordinators').
 */
export const peopleRoutes: Routes = [
  { path: '', pathMatch: 'full', component: FindPersonPage, title: 'cases.find.pageTitle' },
  { path: 'mine', component: MyPeoplePage, title: 'keyWorkers.mine.pageTitle' },
  {
    path: 'hand-over',
    component: HandOverPage,
    title: 'keyWorkers.handOver.pageTitle',
    canActivate: [permissionGuard],
    data: { permission: 'case:erase' },
  },
  // Merging destroys a key, like erasure: coordinators only (`case:erase`).
  {
    path: 'merge',
    component: MergePage,
    title: 'merge.pageTitle',
    canMatch: [permissionGuard],
    data: { permission: 'case:erase' },
  },
  { path: ':id', component: PersonPage, title: 'cases.person.pageTitle' },
];
