import type { Routes } from '@angular/router';
import { AuditStore } from './data/audit.store';
import { AccessLogPage } from './pages/access-log-page';

/** `/audit` (the top-level route requires `audit:read`). */
export const auditRoutes: Routes = [
  {
    path: '',
    pathMatch: 'full',
    component: AccessLogPage,
    title: 'audit.pageTitle',
    providers: [AuditStore],
  },
];
