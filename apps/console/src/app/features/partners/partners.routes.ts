import type { Routes } from '@angular/router';
import { PartnersPage } from './pages/partners-page';

/** `/partners` (every signed-in member of staff). */
export const partnersRoutes: Routes = [
  { path: '', pathMatch: 'full', component: PartnersPage, title: 'cases.partners.pageTitle' },
];
