import type { Routes } from '@angular/router';
import { NotFoundPage } from './pages/not-found-page';

export const notFoundRoutes: Routes = [
  { path: '', component: NotFoundPage, title: 'notFound.pageTitle' },
];
