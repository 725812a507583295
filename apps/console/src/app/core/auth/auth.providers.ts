import type { EnvironmentProviders } from '@angular/core';
import { inject, makeEnvironmentProviders, provideAppInitializer } from '@angular/core';
import { SessionTimeout } from './session-timeout.service';
import { UserActivity } from './user-activity.service';
import { SessionStore } from './session.store';

/**
 * Before the first navigation: find out whether the browser holds a session
 * (`GET /api/auth/session`; `401` simply means signed out, with no message), and start watching
 * its deadline and the person's input (typing counts as activity).
 */
export function provideAuth(): EnvironmentProviders {
  return makeEnvironmentProviders([
    provideAppInitializer(() => {
      inject(SessionTimeout);
      inject(UserActivity);
      return inject(SessionStore).load();
    }),
  ]);
}
