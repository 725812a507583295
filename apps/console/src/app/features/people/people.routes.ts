import type { Routes } from '@angular/router';
import { FindPersonPage } from './pages/find-person-page';
import { PersonPage } from './pages/person-page';

/** `/people` (the top-level route requires `case:read`; finding needs `identity:reveal`). */
export const peopleRoutes: Routes = [
  { path: '', pathMatch: 'full', component: FindPersonPage, title: 'cases.find.pageTitle' },
  { path: ':id', component: PersonPage, title: 'cases.person.pageTitle' },
];
