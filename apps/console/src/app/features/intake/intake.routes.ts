import type { Routes } from '@angular/router';
import { IntakePage } from './pages/intake-page';

/** `/intake` (the top-level route requires `case:write`). */
export const intakeRoutes: Routes = [
  { path: '', pathMatch: 'full', component: IntakePage, title: 'cases.intake.pageTitle' },
];
