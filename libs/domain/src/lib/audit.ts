import { isRevealPurpose, type RevealPurpose } from './persons';
import type { Role } from './roles';

/**
 * The access log (docs/design.md §7). Every authentication event, read, change, export, report run,
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
  'auth.language_changed',
  'auth.device_key_released',
  'auth.devices_forgotten',
  'staff.listed',
  'staff.created',
  'staff.updated',
  'staff.sessions_revoked',
  'staff.mfa_reset',
  'staff.password_reset',
  'staff.own_roles_refused',
  'staff.change_requested',
  'staff.change_approved',
  'staff.change_cancelled',
  'staff.approvals_listed',
  'organisation.settings_viewed',
  'organisation.settings_updated',
  'organisation.lockdown_started',
  'organisation.lockdown_lift_approved',
  'keys.viewed',
  'keys.rotation_started',
  'jobs.listed',
  'jobs.viewed',
  'backups.status_viewed',
  'audit.events_viewed',
  'audit.events_exported',
  'audit.verified',
  'audit.checkpoints_viewed',
  'audit.proof_viewed',
  'audit.anomalies_viewed',
  'audit.anomaly_reviewed',
  'person.created',
  'person.viewed',
  'person.updated',
  'person.identity_revealed',
  'person.looked_up',
  'person.erased',
  'person.restriction_changed',
  'key_worker.listed',
  'key_worker.assigned',
  'key_worker.removed',
  'key_worker.people_listed',
  'key_worker.handed_over',
  'staff.case_workers_listed',
  'person.duplicate_warned',
  'person.merged',
  'person.subject_exported',
  'person.erasure_receipt_downloaded',
  'contact.created',
  'contact.listed',
  'contact.viewed',
  'contact.amended',
  'need.created',
  'need.updated',
  'need.listed',
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
  'outcome.recorded',
  'outcome.listed',
  'report.viewed',
  'report.exported',
  'security.integrity_failure',
  'access.denied',
  'canary.planted',
  'canary.listed',
  'canary.retired',
  'follow_up.created',
  'follow_up.listed',
  'follow_up.updated',
  'follow_up.assignees_listed',
  'day.viewed',
  'day.counted',
  'disclosure.recorded',
  'disclosure.listed',
  'disclosure.viewed',
  'disclosure.reviewed',
  'disclosure.approved',
  'disclosure.refused',
  'disclosure.exported',
  'disclosure.downloaded',
  'disclosure.closed',
  'disclosure.person_listed',
  'retention.viewed',
  'retention.updated',
  'retention.dry_run',
  'retention.purged',
  'retention.runs_viewed',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type AuditOutcome = 'success' | 'denied' | 'failure';

/**
 * The kinds of record an access event names (`resourceType`). Each has a label in every console
 * language and in the access-log CSV; a route's `@Audit` can name no other.
 */
export const AUDIT_RESOURCE_TYPES = [
  'access_event',
  'access_log',
  'anomaly',
  'backup_run',
  'canary',
  'checkpoint',
  'contact',
  'disclosure_request',
  'follow_up',
  'job',
  'organisation',
  'partner',
  'person',
  'purge_run',
  'referral',
  'report',
  'retention_policy',
  'session',
  'staff_change_request',
  'staff_user',
  'support_need',
] as const;
export type AuditResourceType = (typeof AUDIT_RESOURCE_TYPES)[number];

export function isAuditResourceType(value: unknown): value is AuditResourceType {
  return typeof value === 'string' && (AUDIT_RESOURCE_TYPES as readonly string[]).includes(value);
}

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

/** A signed checkpoint covers every access event within this many seconds (T27). */
export const AUDIT_CHECKPOINT_WITHIN_SECONDS = 60;

/**
 * The newest events, which no signed checkpoint covers yet: each is authenticated by its own MAC
 * and the log head's MAC, but until a checkpoint covering them reaches the witness, someone
 * holding the database could still remove them unnoticed (docs/security.md, T27). A checkpoint
 * follows every event within 60 seconds, so an old tail means the checkpoint task is not running.
 */
export interface AuditLogTail {
  /** Events after the latest signed checkpoint. */
  readonly events: number;
  /** When the oldest of them was logged; null when there are none. */
  readonly since: string | null;
  /** Its age in whole seconds at verification; null when there are none. */
  readonly ageSeconds: number | null;
  /** Events after the latest checkpoint the witness holds (all of them without a witness). */
  readonly unwitnessedEvents: number;
}

/** Where the checkpoint held outside the database came from. */
export type WitnessSource = 'folder' | 'supplied' | 'none';

/** The latest checkpoint held outside the database that the log was checked against. */
export interface AuditWitnessCheck {
  /**
   * `folder`: the configured witness folder; `supplied`: given to the verifier (the CLI's
   * `--checkpoint`); `none`: no witness could be read (none configured, a webhook witness, or
   * nothing exported yet), so a log cut together with its head and its own checkpoints would
   * not be seen.
   */
  readonly source: WitnessSource;
  readonly treeSize: number | null;
  readonly signedAt: string | null;
}

export interface AuditVerification {
  readonly status: 'verified' | 'failed';
  /** Events checked (the whole log after its pruned prefix). */
  readonly checkedEvents: number;
  readonly checkpointsChecked: number;
  readonly latestCheckpoint: CheckpointView | null;
  /** The first index whose event does not match what was recorded; null when verified. */
  readonly firstBadIndex: number | null;
  readonly problem: string | null;
  /** The log's size as its authenticated head records it; null when no valid head was read. */
  readonly headSize: number | null;
  readonly witness: AuditWitnessCheck;
  /** The uncovered tail (over the events checked). */
  readonly tail: AuditLogTail;
  /**
   * The pruned prefix (docs/adr/0011-pruning-the-access-log.md): events before index `before`
   * were removed by retention, the newest of them from `newestAt`; checked as their frontier.
   */
  readonly pruned?: AuditPrunedPrefix | null;
}

export interface AuditPrunedPrefix {
  readonly before: number;
  readonly newestAt: string;
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

/** The kinds of anomaly flag, most serious first (the order auditors see open flags in). */
export const ANOMALY_KINDS = [
  'canary_access',
  'many_reveals',
  'id_sweep',
  'repeated_denials',
  'off_hours',
  // Separation of duties (one flag per event): an admin tried to change their own roles; a
  // guarded role was requested for an account; a guarded account's password or MFA reset was
  // requested; a second admin approved a staff change.
  'own_role_change',
  'guarded_role_grant',
  'guarded_account_reset',
  'staff_change_approved',
] as const;

export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

/** Open until an auditor marks it reviewed; open again if it grows after that. */
export type AnomalyStatus = 'open' | 'reviewed';

/**
 * A flag raised by a pattern in the log (computed from the log on request, never stored as
 * truth; a review is itself an access event). Flags are grouped per staff member and time
 * window: an hour (many reveals, repeated denials, id sweeps) or a UTC day (off-hours access,
 * and canary access per decoy record).
 */
export interface AuditAnomaly {
  /** Stable while the flag grows within its window: `kind:actor:window[:subject]`. */
  readonly id: string;
  readonly kind: AnomalyKind;
  readonly actorId: string | null;
  readonly actorName: string | null;
  /** What the flag is about beyond its actor: the decoy record's code for canary access. */
  readonly subject: string | null;
  readonly count: number;
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly from: string;
  readonly to: string;
  readonly status: AnomalyStatus;
  readonly reviewedAt: string | null;
  readonly reviewedBy: string | null;
}

/** `POST /api/audit/anomalies/review`: marks a flag reviewed (itself an access event). */
export interface ReviewAnomalyRequest {
  readonly id: string;
}

/** What an anomaly id looks like (`kind:actor-or-none:window[:subject]`). */
export const ANOMALY_ID_PATTERN = new RegExp(
  `^(${ANOMALY_KINDS.join('|')}):([0-9a-f-]{36}|none):(\\d{4}-\\d{2}-\\d{2}T\\d{2}:00:00\\.000Z)(:[0-9A-Za-z-]{1,40})?$`,
);
