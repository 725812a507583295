import type { Permission } from './permissions';
import type { Role } from './roles';
import type { StaffLanguage } from './languages';

/**
 * The authentication contract between the API and the console (docs/design.md §6, §11).
 *
 * Sign-in is staged. `POST /api/auth/login` checks the password and answers with the next
 * step; the session cookie it sets is good for that step only. After the second factor the
 * session id is rotated and the session becomes `active`.
 */
export type SignInStage =
  /** Password accepted; a TOTP code (or a recovery code) is needed. */
  | 'mfa'
  /** Password accepted; the user has no second factor yet and must enrol one first. */
  | 'enrol'
  /** Fully signed in. */
  | 'authenticated';

export interface LoginRequest {
  readonly email: string;
  readonly password: string;
}

export interface LoginResponse {
  readonly stage: Exclude<SignInStage, 'authenticated'>;
}

/** `POST /api/auth/mfa/verify`: exactly one of the two. */
export interface MfaVerifyRequest {
  readonly code?: string;
  readonly recoveryCode?: string;
}

/** `POST /api/auth/mfa/enrol` (stage `enrol`, or a signed-in user replacing their factor). */
export interface MfaEnrolment {
  /** Base32 secret, for typing into an authenticator app by hand. */
  readonly secret: string;
  /** `otpauth://totp/...` URI (what the QR code encodes). */
  readonly otpauthUri: string;
  /** The QR code as a standalone SVG document. */
  readonly qrSvg: string;
}

/** `POST /api/auth/mfa/confirm` with `{ code }` answers this once; codes are shown only now. */
export interface MfaConfirmResponse {
  readonly session: SessionInfo;
  readonly recoveryCodes: readonly string[];
}

export interface MfaVerifyResponse {
  readonly session: SessionInfo;
}

/** `POST /api/auth/step-up`: password and a fresh TOTP code, for sensitive operations (T7). */
export interface StepUpRequest {
  readonly password: string;
  readonly code: string;
}

export interface StepUpResponse {
  readonly stepUpUntil: string;
}

/** `POST /api/auth/password`: required at first sign-in with a one-time password. */
export interface ChangePasswordRequest {
  readonly currentPassword: string;
  readonly newPassword: string;
}

/** `GET /api/auth/session` and the `session` of sign-in responses. */
export interface SessionInfo {
  readonly user: {
    readonly id: string;
    readonly email: string;
    readonly displayName: string;
    readonly roles: readonly Role[];
    /** The console language the person chose (`PUT /api/me/language`), or null: not chosen. */
    readonly language: StaffLanguage | null;
  };
  readonly organisation: {
    readonly id: string;
    readonly name: string;
    readonly lockdown: boolean;
  };
  readonly permissions: readonly Permission[];
  /** The user must change a one-time password before anything else. */
  readonly mustChangePassword: boolean;
  /** ISO timestamps. The idle deadline moves with every authenticated request. */
  readonly idleExpiresAt: string;
  readonly absoluteExpiresAt: string;
  readonly stepUpUntil: string | null;
}

/** Sessions: idle 15 minutes, absolute 8 hours (docs/security.md T6); step-up lasts 5 minutes (T7). */
export const SESSION_IDLE_MS = 15 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 8 * 60 * 60 * 1000;
export const STEP_UP_MS = 5 * 60 * 1000;
/** The console warns this long before the idle deadline. */
export const SESSION_WARNING_MS = 2 * 60 * 1000;
/** A pre-MFA session (stages `mfa`, `enrol`) lives at most this long. */
export const SIGN_IN_STAGE_MS = 10 * 60 * 1000;

export const SESSION_COOKIE = '__Host-harbour-session';
export const XSRF_COOKIE = '__Host-XSRF-TOKEN';
export const XSRF_HEADER = 'X-XSRF-TOKEN';

/** Staff account as admins see it (`GET /api/users`). */
export interface StaffUserView {
  readonly id: string;
  readonly email: string;
  readonly displayName: string;
  readonly roles: readonly Role[];
  readonly status: StaffStatus;
  readonly mfaEnrolled: boolean;
  readonly mustChangePassword: boolean;
  readonly lastSignInAt: string | null;
  readonly createdAt: string;
  readonly version: number;
}

export type StaffStatus = 'active' | 'disabled';

export interface CreateUserRequest {
  readonly email: string;
  readonly displayName: string;
  readonly roles: readonly Role[];
}

/**
 * `POST /api/users`: the new account and its one-time password (shown once, to hand to the new
 * user out of band); or, for an account with a guarded role (`GUARDED_ROLES`), the request now
 * waiting for a second admin (`pending`; then there is no account and no password yet).
 */
export interface CreateUserResponse {
  readonly user: StaffUserView | null;
  readonly oneTimePassword: string | null;
  readonly pending: StaffApprovalView | null;
}

/**
 * `PATCH /api/users/:id`: the account as it is now. A change granting a guarded role is not
 * applied yet: it waits for a second admin (`pending`); the rest of the edit is applied.
 */
export interface UpdateUserResponse extends StaffUserView {
  readonly pending: StaffApprovalView | null;
}

/**
 * `POST /api/users/:id/reset-password`: a one-time password; or, for an account holding a
 * guarded role, the request waiting for a second admin (who then gets the password).
 */
export interface ResetPasswordResponse {
  readonly oneTimePassword: string | null;
  readonly pending: StaffApprovalView | null;
}

/** `POST /api/users/:id/reset-mfa`: done (`pending` null), or waiting for a second admin. */
export interface ResetMfaResponse {
  readonly pending: StaffApprovalView | null;
}

export interface UpdateUserRequest {
  readonly version: number;
  readonly displayName?: string;
  readonly roles?: readonly Role[];
  readonly status?: StaffStatus;
}

/** `GET /api/organisation/settings`. */
export interface OrganisationSettingsView {
  readonly id: string;
  readonly name: string;
  readonly lockdown: {
    readonly active: boolean;
    readonly since: string | null;
    /** Admins who approved lifting it so far (two distinct admins are needed). */
    readonly liftApprovals: readonly { readonly userId: string; readonly displayName: string }[];
    /** Approvals needed to lift it (`LOCKDOWN_LIFT_APPROVALS`). */
    readonly approvalsNeeded: number;
    /**
     * Whether the signed-in admin may approve lifting it: only admins who held the role before
     * the lockdown began may (false when there is no lockdown).
     */
    readonly callerMayApprove: boolean;
  };
  /** Internal reports publish no count from 1 to k − 1 (2 to 11; default 5). */
  readonly reportK: number;
  /**
   * Days a referral may wait on its partner before Harbour adds a follow-up for it (1 to 365;
   * default 14); null: no automatic follow-ups.
   */
  readonly staleReferralDays: number | null;
  readonly version: number;
}

export interface UpdateOrganisationSettingsRequest {
  readonly version: number;
  readonly name?: string;
  readonly reportK?: number;
  /** Null switches automatic follow-ups for quiet referrals off. */
  readonly staleReferralDays?: number | null;
}

/**
 * Separation of duties (docs/design.md §6, ADR 0008): changes that could give one person case content
 * wait for a second admin. `create_account` and `grant_roles` add a guarded role
 * (`GUARDED_ROLES`); `reset_password` and `reset_mfa` are resets of an account holding one.
 */
export const STAFF_CHANGE_KINDS = [
  'create_account',
  'grant_roles',
  'reset_password',
  'reset_mfa',
] as const;

export type StaffChangeKind = (typeof STAFF_CHANGE_KINDS)[number];

/** A staff change request waits this long for its second admin, then expires. */
export const STAFF_CHANGE_TTL_MS = 72 * 60 * 60 * 1000;

/**
 * A staff change waiting for a second admin (`GET /api/users/approvals`), and the `202 Accepted`
 * answer of a route whose change now waits for one.
 */
export interface StaffApprovalView {
  readonly id: string;
  readonly kind: StaffChangeKind;
  /** The account concerned; null for a new account (it does not exist until approved). */
  readonly targetUserId: string | null;
  /** The account's e-mail address and display name (the new account's, for `create_account`). */
  readonly email: string;
  readonly displayName: string;
  /** Roles held now, and after the change (the same for resets). */
  readonly rolesBefore: readonly Role[];
  readonly rolesAfter: readonly Role[];
  readonly requestedBy: { readonly id: string; readonly displayName: string };
  readonly requestedAt: string;
  readonly expiresAt: string;
}

/**
 * `POST /api/users/approvals/:id/approve`: the change is applied at once. A new account or a
 * password reset comes with a one-time password, shown once to the approving admin (never to
 * the admin who asked), who hands it over.
 */
export interface ApproveStaffChangeResponse {
  readonly user: StaffUserView;
  readonly oneTimePassword: string | null;
}
