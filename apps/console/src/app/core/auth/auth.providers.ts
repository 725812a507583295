import type { EnvironmentProviders } from '@angular/core';
import { inject, makeEnvironmentProviders, provideAppInitializer } from '@angular/core';
import { SessionTimeout } from './session-timeout.service';
import { AccountLanguage } from '../i18n/account-language.service';
import { UserActivity } from './user-activity.service';
import { SessionStore } from './session.store';

/**
 * Before the first navigation: find out whether the browser holds a session
 * (`GET /api/auth/session`; `401` simply means signed out, with no message), and start watching
 * its deadline and the person's input (typing counts as activity).
 */
export function provideAuth(): EnvironmentProviders {
  return makeEnvironmentProviders([
    provideAppInitializer(async () => {
      inject(SessionTimeout);
      inject(UserActivity);
      const language = inject(AccountLanguage);
      await inject(SessionStore).load();
      // A live session: the first screen already in the account's language.
      await language.applySession();
    }),
  ]);
}
