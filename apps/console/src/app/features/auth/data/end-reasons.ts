import type { SessionEndReason } from '../../../core/auth/session.store';

/** What the sign-in page says about the way the last session ended. */
export const END_REASON_KEYS: Readonly<Record<SessionEndReason, string>> = {
  signedOut: 'auth.ended.signedOut',
  signedOutOffline: 'auth.ended.signedOutOffline',
  expired: 'auth.ended.expired',
  idle: 'auth.ended.idle',
  absolute: 'auth.ended.absolute',
  lockdown: 'auth.ended.lockdown',
  lockdownSignIn: 'auth.ended.lockdownSignIn',
  signInExpired: 'auth.ended.signInExpired',
};
