import type { Routes } from '@angular/router';
import { LogContactPage } from './pages/log-contact-page';

/** `/contacts/new` (the top-level route requires `case:write`). */
export const logContactRoutes: Routes = [
  { path: '', pathMatch: 'full', component: LogContactPage, title: 'cases.logContact.pageTitle' },
];
