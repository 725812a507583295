import type { Routes } from '@angular/router';

/**
 * Top-level routes. Every feature is lazy: its routes file (and so its pages, components and
 * data services) is fetched only when first visited. Route `title`s are translation keys,
 * translated by `TranslatedTitleStrategy`.
 */
export const routes: Routes = [
  {
    path: '',
    loadChildren: () => import('./features/home/home.routes').then((m) => m.homeRoutes),
  },
  {
    path: '**',
    loadChildren: () =>
      import('./features/not-found/not-found.routes').then((m) => m.notFoundRoutes),
  },
];
