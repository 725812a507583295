import type { Routes } from '@angular/router';
import { permissionGuard } from '../../core/auth/auth.guards';
import { FindPersonPage } from './pages/find-person-page';
import { MergePage } from './pages/merge-page';
import { PersonPage } from './pages/person-page';

/** `/people` (the top-level route requires `case:read`; finding needs `identity:reveal`). */
export const peopleRoutes: Routes = [
  { path: '', pathMatch: 'full', component: FindPersonPage, title: 'cases.find.pageTitle' },
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
