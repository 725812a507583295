import type { EnvironmentProviders } from '@angular/core';
import {
  effect,
  inject,
  makeEnvironmentProviders,
  provideAppInitializer,
  untracked,
} from '@angular/core';
import { SessionStore } from '../auth/session.store';
import { DeviceVault } from './device-vault';
import { OutboxService } from './outbox.service';

/**
 * Unlocks the device vault whenever an account is fully signed in (at start-up with a live
 * session, after sign-in) and locks it whenever none is (every session end also locks it at
 * once, in `SessionEnd`). Not while a password change is required or in lockdown: the API
 * releases no key then. A failed unlock (no network) leaves it locked. Once unlocked, what waits
 * in the outbox is listed and sent.
 */
export function provideDeviceVault(): EnvironmentProviders {
  return makeEnvironmentProviders([
    provideAppInitializer(() => {
      const session = inject(SessionStore);
      const vault = inject(DeviceVault);
      effect(() => {
        const account = session.user()?.id;
        if (account === undefined || session.mustChangePassword() || session.lockdown()) {
          vault.lock();
          return;
        }
        untracked(() => vault.unlock()).catch(() => undefined);
      });
      const outbox = inject(OutboxService);
      effect(() => {
        const ready = vault.ready();
        untracked(() => (ready ? outbox.sendAll() : outbox.refresh())).catch(() => undefined);
      });
    }),
  ]);
}
