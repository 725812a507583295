import type { Permission, Role, StaffLanguage } from '@harbour/domain';

export type SessionStage = 'mfa' | 'enrol' | 'active';

/** Who is calling, resolved by the access guard from the session cookie (never from the body). */
export interface Principal {
  readonly sessionId: string;
  readonly organisationId: string;
  readonly userId: string;
  readonly email: string;
  readonly displayName: string;
  readonly roles: readonly Role[];
  /** The console language the account chose, or null (not chosen). */
  readonly language: StaffLanguage | null;
  readonly permissions: ReadonlySet<Permission>;
  readonly stage: SessionStage;
  readonly mustChangePassword: boolean;
  readonly stepUpAt: Date | null;
  readonly idleExpiresAt: Date;
  readonly absoluteExpiresAt: Date;
  /** When the organisation's lockdown began (read with the session, every request), or null. */
  readonly lockdownSince: Date | null;
}
