import { inject, Injectable } from '@angular/core';
import type { Params } from '@angular/router';
import { Router } from '@angular/router';
import type { SessionInfo, SignInStage } from '@harbour/domain';
import { returnUrlParams, safeReturnUrl, SIGN_IN_PATH } from '../../../core/auth/return-url';
import { SessionStore } from '../../../core/auth/session.store';

/**
 * Moves between the sign-in steps (password → code or enrolment → signed in), carrying the
 * `returnUrl` along; only a safe, same-origin path is ever followed.
 */
@Injectable({ providedIn: 'root' })
export class SignInFlow {
  private readonly router = inject(Router);
  private readonly store = inject(SessionStore);

  /** After the password: the second-factor step the API asked for. */
  async toStage(stage: Exclude<SignInStage, 'authenticated'>, returnUrl: unknown): Promise<void> {
    const path = stage === 'mfa' ? `${SIGN_IN_PATH}/mfa` : `${SIGN_IN_PATH}/enrol`;
    await this.router.navigate([path], { queryParams: this.params(returnUrl) });
  }

  /** Fully signed in: where the person was going, or home. */
  async finish(session: SessionInfo, returnUrl: unknown): Promise<void> {
    this.store.signIn(session);
    await this.router.navigateByUrl(safeReturnUrl(returnUrl));
  }

  /** The pre-MFA session expired (`401 unauthenticated`): back to the password, with a reason. */
  async restart(returnUrl: unknown): Promise<void> {
    this.store.clear('signInExpired');
    await this.router.navigate([SIGN_IN_PATH], { queryParams: this.params(returnUrl) });
  }

  /**
   * `403 lockdown_active` at the code step: the organisation is in lockdown and this person is
   * not an administrator. No session was made; the sign-in page says why.
   */
  async lockedOut(): Promise<void> {
    this.store.clear('lockdownSignIn');
    await this.router.navigate([SIGN_IN_PATH]);
  }

  private params(returnUrl: unknown): Params {
    return returnUrlParams(safeReturnUrl(returnUrl));
  }
}
