import type { Routes } from '@angular/router';
import { HomeStore } from './data/home.store';
import { HomePage } from './pages/home-page';

export const homeRoutes: Routes = [
  {
    path: '',
    pathMatch: 'full',
    component: HomePage,
    title: 'home.pageTitle',
    providers: [HomeStore],
  },
];
