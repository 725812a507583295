import { inject, Injectable } from '@angular/core';
import { MatDialog } from '@angular/material/dialog';
import { Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { DeviceVault } from '../device/device-vault';
import { FormDrafts } from '../drafts/form-drafts';
import { appErrorOf } from '../http/app-error';
import { AuthApi } from './auth.api';
import { CHANGE_PASSWORD_PATH, LOCKDOWN_PATH, returnUrlParams, SIGN_IN_PATH } from './return-url';
import type { SessionEndReason } from './session.store';
import { SessionStore } from './session.store';

/** Reasons after which the person may pick up where they were once signed in again. */
const KEEPS_RETURN_URL: readonly SessionEndReason[] = ['expired', 'idle', 'absolute'];

/**
 * Every way a session ends goes through here: forget it, close any dialog (one may show a
 * one-time password or recovery codes), and show the sign-in page with the reason.
 */
@Injectable({ providedIn: 'root' })
export class SessionEnd {
  private readonly api = inject(AuthApi);
  private readonly store = inject(SessionStore);
  private readonly router = inject(Router);
  private readonly dialog = inject(MatDialog);
  private readonly vault = inject(DeviceVault);
  private readonly drafts = inject(FormDrafts);

  /** "Sign out": tell the API (which clears cookies and site data), then leave. */
  async signOut(): Promise<void> {
    let reason: SessionEndReason = 'signedOut';
    try {
      await firstValueFrom(this.api.logout(), { defaultValue: undefined });
    } catch (error: unknown) {
      // 401: the session had already ended. Anything else: it may still be alive on the server
      // (it ends there after 15 minutes without activity), and the sign-in page says so.
      if (appErrorOf(error).code !== 'unauthenticated') reason = 'signedOutOffline';
    }
    await this.endLocally(reason);
  }

  /**
   * Ends the session in this tab without calling the API (it has ended there already, or will
   * by itself). Several failing requests at once navigate only once.
   */
  async endLocally(reason: SessionEndReason): Promise<void> {
    const current = this.router.url;
    // What this device holds stays sealed: the key goes with the session.
    // A form still waiting to be saved is sealed now, while the key is still held.
    this.drafts.flushAll();
    this.vault.lock();
    const hadSession = this.store.clear(reason);
    this.dialog.closeAll();
    if (!hadSession && reason === 'expired') return;
    const queryParams = KEEPS_RETURN_URL.includes(reason) ? returnUrlParams(current) : {};
    await this.router.navigate([SIGN_IN_PATH], { queryParams });
  }

  /**
   * `403 lockdown_active` outside sign-in: the organisation went into lockdown (an admin, the
   * only person who can be signed in then, goes to the lockdown page).
   */
  async enterLockdown(): Promise<void> {
    if (!this.store.authenticated()) return;
    this.store.updateOrganisation({ lockdown: true });
    this.dialog.closeAll();
    if (this.router.url.startsWith(LOCKDOWN_PATH)) return;
    await this.router.navigate([LOCKDOWN_PATH]);
  }

  /** `403 password_change_required`: nothing else works until the password is changed. */
  async requirePasswordChange(): Promise<void> {
    this.store.requirePasswordChange();
    const current = this.router.url;
    if (current.startsWith(CHANGE_PASSWORD_PATH)) return;
    await this.router.navigate([CHANGE_PASSWORD_PATH], { queryParams: returnUrlParams(current) });
  }
}
