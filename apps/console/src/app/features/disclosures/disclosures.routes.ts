import type { Routes } from '@angular/router';
import { permissionGuard } from '../../core/auth/auth.guards';
import { DisclosurePage } from './pages/disclosure-page';
import { DisclosuresPage } from './pages/disclosures-page';
import { RecordDisclosurePage } from './pages/record-disclosure-page';

/**
 * `/disclosures` (the top-level route requires `disclosure:approve`: coordinators and admins);
 * recording a request is coordinators' (`disclosure:record`).
 */
export const disclosuresRoutes: Routes = [
  { path: '', pathMatch: 'full', component: DisclosuresPage, title: 'disclosures.list.pageTitle' },
  {
    path: 'new',
    component: RecordDisclosurePage,
    title: 'disclosures.record.pageTitle',
    canMatch: [permissionGuard],
    data: { permission: 'disclosure:record' },
  },
  // Without `disclosure:record` (an admin), `new` is no request id: back to the list.
  { path: 'new', redirectTo: '' },
  { path: ':id', component: DisclosurePage, title: 'disclosures.detail.pageTitle' },
];
