import type { Routes } from '@angular/router';
import { FindPersonPage } from './pages/find-person-page';
import { IntakePage } from './pages/intake-page';
import { LogContactPage } from './pages/log-contact-page';
import { PartnersPage } from './pages/partners-page';
import { PersonPage } from './pages/person-page';

/** `/contacts/new` (the top-level route requires `case:write`). */
export const logContactRoutes: Routes = [
  { path: '', pathMatch: 'full', component: LogContactPage, title: 'cases.logContact.pageTitle' },
];

/** `/people` (the top-level route requires `case:read`; finding needs `identity:reveal`). */
export const peopleRoutes: Routes = [
  { path: '', pathMatch: 'full', component: FindPersonPage, title: 'cases.find.pageTitle' },
  { path: ':id', component: PersonPage, title: 'cases.person.pageTitle' },
];

/** `/intake` (the top-level route requires `case:write`). */
export const intakeRoutes: Routes = [
  { path: '', pathMatch: 'full', component: IntakePage, title: 'cases.intake.pageTitle' },
];

/** `/partners` (every signed-in member of staff). */
export const partnersRoutes: Routes = [
  { path: '', pathMatch: 'full', component: PartnersPage, title: 'cases.partners.pageTitle' },
];
