import type { Routes } from '@angular/router';
import { ReportsStore } from './data/reports.store';
import { ReportsPage } from './pages/reports-page';

/** `/reports` (the top-level route requires `reports:read`). */
export const reportsRoutes: Routes = [
  {
    path: '',
    pathMatch: 'full',
    component: ReportsPage,
    title: 'reports.pageTitle',
    providers: [ReportsStore],
  },
];
