import { isRevealPurpose, type RevealPurpose } from './persons';
import type { Role } from './roles';

/**
 * The access log (DESIGN.md §7). Every authentication event, read, change, export, report run,
 * admin change and denied access is one event, written in the same transaction as the action.
 * Events never hold plaintext identity, search terms or request bodies: only pseudonymous ids
 * and the names of fields revealed.
 */
export const AUDIT_ACTIONS = [
  'auth.sign_in',
  'auth.sign_in_failed',
  'auth.mfa_verified',
  'auth.mfa_failed',
  'auth.mfa_enrolment_started',
  'auth.mfa_enrolled',
  'auth.step_up',
  'auth.step_up_failed',
  'auth.password_changed',
  'auth.sign_out',
  'auth.session_viewed',
  'staff.listed',
  'staff.created',
  'staff.updated',
  'staff.sessions_revoked',
  'staff.mfa_reset',
  'staff.password_reset',
  'organisation.settings_viewed',
  'organisation.settings_updated',
  'organisation.lockdown_started',
  'organisation.lockdown_lift_approved',
  'audit.events_viewed',
  'audit.events_exported',
  'audit.verified',
  'audit.checkpoints_viewed',
  'audit.proof_viewed',
  'audit.anomalies_viewed',
  'person.created',
  'person.viewed',
  'person.updated',
  'person.identity_revealed',
  'person.looked_up',
  'person.erased',
  'contact.created',
  'contact.listed',
  'contact.viewed',
  'need.created',
  'need.updated',
  'intake.recorded',
  'referral.created',
  'referral.transitioned',
  'referral.listed',
  'partner.listed',
  'partner.created',
  'partner.updated',
  'consent.listed',
  'consent.recorded',
  'consent.revoked',
  'report.viewed',
  'report.exported',
  'security.integrity_failure',
  'access.denied',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type AuditOutcome = 'success' | 'denied' | 'failure';

/** One event as auditors see it (`GET /api/audit/events`). */
export interface AccessEventView {
  /** Position in the organisation's log (0-based leaf index of the Merkle tree). */
  readonly seq: number;
  readonly occurredAt: string;
  readonly actorId: string | null;
  /** The staff member's display name (staff are not the people in the records). */
  readonly actorName: string | null;
  readonly actorRoles: readonly Role[];
  readonly action: AuditAction;
  readonly resourceType: string | null;
  /** Pseudonymous ids only (uuids, person codes); never names. */
  readonly resourceIds: readonly string[];
  /** Names of the fields revealed, never their values. */
  readonly fields: readonly string[];
  /** The purpose category of a reveal (see `auditPurposeOf`); never free text. */
  readonly purpose: AuditPurpose | null;
  readonly outcome: AuditOutcome;
  readonly requestId: string;
}

/**
 * A purpose as auditors see it: a reveal category, or `unlisted` for an event whose stored
 * purpose is not a category. Events written before purposes became categories hold the
 * caseworker's free text, which may name someone; the log is append-only and hash-chained, so
 * those bytes stay (and still verify), but no view or export shows them.
 */
export type AuditPurpose = RevealPurpose | 'unlisted';

export function auditPurposeOf(stored: string | null): AuditPurpose | null {
  if (stored === null) return null;
  return isRevealPurpose(stored) ? stored : 'unlisted';
}

export interface AccessEventPage {
  readonly events: readonly AccessEventView[];
  /** Pass as `before` to get older events; null when there are none. */
  readonly nextBefore: number | null;
}

/** Query of `GET /api/audit/events` (all optional). */
export interface AccessEventQuery {
  readonly actor?: string;
  readonly action?: AuditAction;
  readonly resource?: string;
  readonly outcome?: AuditOutcome;
  /** ISO timestamps. */
  readonly from?: string;
  readonly to?: string;
  /** Return events with seq < before (newest first). */
  readonly before?: number;
  readonly limit?: number;
}

/** A signed checkpoint: the log's size and Merkle root at a moment, signed with Ed25519. */
export interface CheckpointView {
  readonly origin: string;
  readonly treeSize: number;
  /** Base64 SHA-256 root hash (RFC 6962). */
  readonly rootHash: string;
  readonly signedAt: string;
  /** The exact signed text, and the base64 Ed25519 signature over it. */
  readonly body: string;
  readonly signature: string;
  /** Base64 Ed25519 public key of the organisation's log. */
  readonly publicKey: string;
}

export interface AuditVerification {
  readonly status: 'verified' | 'failed';
  /** Events checked (the whole log). */
  readonly checkedEvents: number;
  readonly checkpointsChecked: number;
  readonly latestCheckpoint: CheckpointView | null;
  /** The first index whose event does not match what was recorded; null when verified. */
  readonly firstBadIndex: number | null;
  readonly problem: string | null;
}

export interface InclusionProofView {
  readonly leafIndex: number;
  readonly treeSize: number;
  readonly leafHash: string;
  readonly rootHash: string;
  readonly proof: readonly string[];
}

export interface ConsistencyProofView {
  readonly fromSize: number;
  readonly toSize: number;
  readonly fromRoot: string;
  readonly toRoot: string;
  readonly proof: readonly string[];
}

export type AnomalyKind =
  'many_reveals' | 'off_hours' | 'canary_access' | 'repeated_denials' | 'id_sweep';

/** Computed from the log on request, never stored as truth. */
export interface AuditAnomaly {
  readonly kind: AnomalyKind;
  readonly actorId: string | null;
  readonly actorName: string | null;
  readonly count: number;
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly from: string;
  readonly to: string;
}
