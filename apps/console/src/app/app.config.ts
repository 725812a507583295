import { APP_BASE_HREF } from '@angular/common';
import {
  provideHttpClient,
  withFetch,
  withInterceptors,
  withXsrfConfiguration,
} from '@angular/common/http';
import type { ApplicationConfig } from '@angular/core';
import {
  inject,
  isDevMode,
  provideAppInitializer,
  provideBrowserGlobalErrorListeners,
  provideZonelessChangeDetection,
} from '@angular/core';
import {
  provideRouter,
  RouteReuseStrategy,
  TitleStrategy,
  withComponentInputBinding,
  withInMemoryScrolling,
} from '@angular/router';
import { MAT_DIALOG_DEFAULT_OPTIONS } from '@angular/material/dialog';
import { provideServiceWorker } from '@angular/service-worker';
import { XSRF_COOKIE, XSRF_HEADER } from '@harbour/domain';
import { routes } from './app.routes';
import { provideAuth } from './core/auth/auth.providers';
import { provideDeviceVault } from './core/device/device-vault.providers';
import { sessionActivityInterceptor } from './core/auth/session-activity.interceptor';
import { errorInterceptor } from './core/http/error.interceptor';
import { serviceWorkerBypassInterceptor } from './core/http/service-worker-bypass.interceptor';
import { provideI18n } from './core/i18n/i18n.providers';
import { LanguageService } from './core/i18n/language.service';
import { TranslatedTitleStrategy } from './core/i18n/translated-title.strategy';
import { provideAppIcons } from './core/icons/icons';
import { RecordRouteReuseStrategy } from './core/routing/record-route-reuse.strategy';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideZonelessChangeDetection(),
    // index.html has no <base> element: the CSP says `base-uri 'none'`.
    { provide: APP_BASE_HREF, useValue: '/' },
    provideRouter(
      routes,
      withComponentInputBinding(),
      withInMemoryScrolling({ scrollPositionRestoration: 'enabled', anchorScrolling: 'enabled' }),
    ),
    // `/people/a` → `/people/b` makes a new page: nothing of the first record stays on it.
    { provide: RouteReuseStrategy, useClass: RecordRouteReuseStrategy },
    { provide: TitleStrategy, useClass: TranslatedTitleStrategy },
    provideHttpClient(
      withFetch(),
      withInterceptors([
        serviceWorkerBypassInterceptor,
        sessionActivityInterceptor,
        errorInterceptor,
      ]),
      // The API's `__Host-` cookie, bound to the session (docs/security.md T9).
      withXsrfConfiguration({ cookieName: XSRF_COOKIE, headerName: XSRF_HEADER }),
    ),
    {
      provide: MAT_DIALOG_DEFAULT_OPTIONS,
      useValue: {
        width: '560px',
        maxWidth: 'calc(100vw - 32px)',
        autoFocus: 'first-tabbable',
        restoreFocus: true,
        hasBackdrop: true,
      },
    },
    provideI18n(),
    // Pick the language and load its translations before the first render, so nobody sees keys.
    provideAppInitializer(() => inject(LanguageService).initialise()),
    provideAuth(),
    provideDeviceVault(),
    // The app shell only, never API responses (ngsw-config.json, docs/adr/0013). After the app
    // is stable, so the first paint on a slow link does not compete with its downloads.
    // An absolute URL: there is no <base> element, and a deep link must not resolve it below itself.
    provideServiceWorker('/ngsw-worker.js', {
      enabled: !isDevMode(),
      scope: '/',
      registrationStrategy: 'registerWhenStable:10000',
    }),
    provideAppIcons(),
  ],
};
