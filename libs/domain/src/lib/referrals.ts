/**
 * Referrals (docs/design.md §3): a need referred to a partner, moving through a state machine. Every
 * transition is kept with its time and actor. A referral cannot leave `draft` without recorded
 * consent to share information, unless a coordinator overrides with a reason (audited).
 */

export const REFERRAL_STATUSES = [
  'draft',
  'consented',
  'sent',
  'accepted',
  'completed',
  'declined_by_partner',
  'declined_by_client',
  'withdrawn',
  'lost_contact',
] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/** Statuses a referral never leaves. */
export const FINAL_REFERRAL_STATUSES: readonly ReferralStatus[] = [
  'completed',
  'declined_by_partner',
  'declined_by_client',
  'withdrawn',
  'lost_contact',
];

export const REFERRAL_TRANSITIONS: Readonly<Record<ReferralStatus, readonly ReferralStatus[]>> = {
  draft: ['consented', 'declined_by_client', 'withdrawn'],
  consented: ['sent', 'declined_by_client', 'withdrawn'],
  sent: ['accepted', 'declined_by_partner', 'declined_by_client', 'withdrawn', 'lost_contact'],
  accepted: ['completed', 'declined_by_client', 'withdrawn', 'lost_contact'],
  completed: [],
  declined_by_partner: [],
  declined_by_client: [],
  withdrawn: [],
  lost_contact: [],
};

export function canTransitionReferral(from: ReferralStatus, to: ReferralStatus): boolean {
  return REFERRAL_TRANSITIONS[from].includes(to);
}

/** Purposes a person can consent to, each recorded and revoked on its own. */
export const CONSENT_PURPOSES = [
  'referral_sharing',
  'contact_by_phone',
  'contact_by_text',
  'aggregate_reporting',
] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

export const CONSENT_METHODS = ['verbal', 'written'] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];

/** What information a referral may share with the partner (the scope of consent). */
export const CONSENT_SCOPES = [
  'name',
  'contact_details',
  'date_of_birth',
  'nationality',
  'circumstances',
  'needs',
  'notes',
] as const;
export type ConsentScope = (typeof CONSENT_SCOPES)[number];

/** What the consent gate decides for a transition out of `draft`. */
export type ConsentGate =
  | { readonly allowed: true; readonly override: boolean }
  | { readonly allowed: false; readonly reason: 'consent_required' | 'override_not_permitted' };

/**
 * The consent gate: leaving `draft` for anything but a refusal or a withdrawal needs consent to
 * share (recorded on the referral, not revoked) or a coordinator's override with a reason.
 */
export function consentGate(input: {
  readonly from: ReferralStatus;
  readonly to: ReferralStatus;
  readonly hasConsent: boolean;
  readonly overrideReason: string | null;
  readonly mayOverride: boolean;
}): ConsentGate {
  const needsConsent =
    input.from === 'draft' && input.to !== 'declined_by_client' && input.to !== 'withdrawn';
  if (!needsConsent || input.hasConsent) return { allowed: true, override: false };
  const reason = input.overrideReason?.trim() ?? '';
  if (reason === '') return { allowed: false, reason: 'consent_required' };
  if (!input.mayOverride) return { allowed: false, reason: 'override_not_permitted' };
  return { allowed: true, override: true };
}

// ---- API shapes ---------------------------------------------------------------------------

export interface ReferralConsentInput {
  readonly method: ConsentMethod;
  /** What may be shared with the partner. */
  readonly scope: readonly ConsentScope[];
}

export interface CreateReferralRequest {
  readonly needId: string;
  readonly partnerId: string;
}

export interface ReferralTransitionRequest {
  readonly version: number;
  readonly to: ReferralStatus;
  /** Consent to share, recorded with the move out of `draft`. */
  readonly consent?: ReferralConsentInput;
  /** A coordinator's reason for going ahead without consent (kept encrypted; audited). */
  readonly overrideReason?: string;
}

export interface ReferralEventView {
  readonly from: ReferralStatus | null;
  readonly to: ReferralStatus;
  readonly at: string;
  readonly actorId: string;
}

export interface ReferralView {
  readonly id: string;
  readonly needId: string;
  readonly personId: string | null;
  readonly partnerId: string;
  readonly status: ReferralStatus;
  readonly consent: {
    readonly method: ConsentMethod;
    readonly scope: readonly ConsentScope[];
    readonly recordedAt: string;
  } | null;
  readonly consentOverridden: boolean;
  readonly createdAt: string;
  /** When it reached a final status. */
  readonly closedAt: string | null;
  readonly version: number;
  readonly history: readonly ReferralEventView[];
}

export interface ReferralQuery {
  readonly status?: ReferralStatus;
  readonly partner?: string;
  readonly person?: string;
}

export const MAX_OVERRIDE_REASON_LENGTH = 1_000;
/** The shortest reason a coordinator may give to go ahead without consent. */
export const MIN_OVERRIDE_REASON_LENGTH = 3;

// ---- a person's consents (docs/design.md §3: per purpose, revocable) ----------------------------

export interface RecordConsentRequest {
  readonly purpose: ConsentPurpose;
  readonly method: ConsentMethod;
}

/** One consent as given, and (once revoked) when and by whom it was revoked. */
export interface ConsentView {
  readonly id: string;
  readonly personId: string;
  readonly purpose: ConsentPurpose;
  readonly method: ConsentMethod;
  readonly givenAt: string;
  readonly givenBy: string;
  readonly revokedAt: string | null;
  readonly revokedBy: string | null;
  readonly version: number;
}

export interface RevokeConsentRequest {
  readonly version: number;
}
