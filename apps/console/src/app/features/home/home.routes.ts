import type { Routes } from '@angular/router';
import { BackupsStore } from './data/backups.store';
import { DayStore } from './data/day.store';
import { HomeStore } from './data/home.store';
import { HomePage } from './pages/home-page';

export const homeRoutes: Routes = [
  {
    path: '',
    pathMatch: 'full',
    component: HomePage,
    title: 'home.pageTitle',
    providers: [HomeStore, BackupsStore, DayStore],
  },
];
