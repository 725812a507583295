import type { AnomalyKind, AuditAction, AuditOutcome, AuditResourceType } from '@harbour/domain';
import { isAuditResourceType } from '@harbour/domain';

// Translation keys written out in full, so that the translation check (translations.spec.ts)
// sees every one of them. `Record` makes each map exhaustive: a new action in @harbour/domain
// fails the type check here until it has a label.

type GroupOf<Action> = Action extends `${infer Group}.${string}` ? Group : never;
type NameOf<Action, Group extends string> = Action extends `${Group}.${infer Name}` ? Name : never;

/** The part of an action before the dot (`auth`, `staff`, …), which groups the action select. */
export type ActionGroup = GroupOf<AuditAction>;

/** The actions of one group, without the group: `sign_in` for `auth.sign_in`. */
type ActionName<Group extends ActionGroup> = NameOf<AuditAction, Group>;

// Keyed by group, then name, so that no action name appears here as a quoted `group.name`
// literal (which the translation check would take for a translation key).
const ACTION_LABELS: {
  readonly [Group in ActionGroup]: Readonly<Record<ActionName<Group>, string>>;
} = {
  auth: {
    sign_in: 'audit.actions.auth.sign_in',
    sign_in_failed: 'audit.actions.auth.sign_in_failed',
    mfa_verified: 'audit.actions.auth.mfa_verified',
    mfa_failed: 'audit.actions.auth.mfa_failed',
    mfa_enrolment_started: 'audit.actions.auth.mfa_enrolment_started',
    mfa_enrolled: 'audit.actions.auth.mfa_enrolled',
    step_up: 'audit.actions.auth.step_up',
    step_up_failed: 'audit.actions.auth.step_up_failed',
    password_changed: 'audit.actions.auth.password_changed',
    sign_out: 'audit.actions.auth.sign_out',
    session_viewed: 'audit.actions.auth.session_viewed',
    language_changed: 'audit.actions.auth.language_changed',
    device_key_released: 'audit.actions.auth.device_key_released',
    devices_forgotten: 'audit.actions.auth.devices_forgotten',
  },
  staff: {
    listed: 'audit.actions.staff.listed',
    created: 'audit.actions.staff.created',
    updated: 'audit.actions.staff.updated',
    sessions_revoked: 'audit.actions.staff.sessions_revoked',
    mfa_reset: 'audit.actions.staff.mfa_reset',
    password_reset: 'audit.actions.staff.password_reset',
    own_roles_refused: 'audit.actions.staff.own_roles_refused',
    change_requested: 'audit.actions.staff.change_requested',
    change_approved: 'audit.actions.staff.change_approved',
    change_cancelled: 'audit.actions.staff.change_cancelled',
    approvals_listed: 'audit.actions.staff.approvals_listed',
    case_workers_listed: 'audit.actions.staff.case_workers_listed',
  },
  organisation: {
    settings_viewed: 'audit.actions.organisation.settings_viewed',
    settings_updated: 'audit.actions.organisation.settings_updated',
    lockdown_started: 'audit.actions.organisation.lockdown_started',
    lockdown_lift_approved: 'audit.actions.organisation.lockdown_lift_approved',
  },
  keys: {
    viewed: 'audit.actions.keys.viewed',
    rotation_started: 'audit.actions.keys.rotation_started',
  },
  jobs: {
    listed: 'audit.actions.jobs.listed',
    viewed: 'audit.actions.jobs.viewed',
  },
  backups: {
    status_viewed: 'audit.actions.backups.status_viewed',
  },
  audit: {
    events_viewed: 'audit.actions.audit.events_viewed',
    events_exported: 'audit.actions.audit.events_exported',
    verified: 'audit.actions.audit.verified',
    checkpoints_viewed: 'audit.actions.audit.checkpoints_viewed',
    proof_viewed: 'audit.actions.audit.proof_viewed',
    anomalies_viewed: 'audit.actions.audit.anomalies_viewed',
    anomaly_reviewed: 'audit.actions.audit.anomaly_reviewed',
  },
  person: {
    created: 'audit.actions.person.created',
    viewed: 'audit.actions.person.viewed',
    updated: 'audit.actions.person.updated',
    identity_revealed: 'audit.actions.person.identity_revealed',
    looked_up: 'audit.actions.person.looked_up',
    erased: 'audit.actions.person.erased',
    restriction_changed: 'audit.actions.person.restriction_changed',
    duplicate_warned: 'audit.actions.person.duplicate_warned',
    merged: 'audit.actions.person.merged',
    subject_exported: 'audit.actions.person.subject_exported',
    erasure_receipt_downloaded: 'audit.actions.person.erasure_receipt_downloaded',
  },
  contact: {
    created: 'audit.actions.contact.created',
    listed: 'audit.actions.contact.listed',
    viewed: 'audit.actions.contact.viewed',
    amended: 'audit.actions.contact.amended',
  },
  need: {
    created: 'audit.actions.need.created',
    updated: 'audit.actions.need.updated',
    listed: 'audit.actions.need.listed',
  },
  intake: {
    recorded: 'audit.actions.intake.recorded',
  },
  referral: {
    created: 'audit.actions.referral.created',
    transitioned: 'audit.actions.referral.transitioned',
    listed: 'audit.actions.referral.listed',
  },
  partner: {
    listed: 'audit.actions.partner.listed',
    created: 'audit.actions.partner.created',
    updated: 'audit.actions.partner.updated',
  },
  consent: {
    listed: 'audit.actions.consent.listed',
    recorded: 'audit.actions.consent.recorded',
    revoked: 'audit.actions.consent.revoked',
  },
  outcome: {
    recorded: 'audit.actions.outcome.recorded',
    listed: 'audit.actions.outcome.listed',
  },
  report: {
    viewed: 'audit.actions.report.viewed',
    exported: 'audit.actions.report.exported',
  },
  security: {
    integrity_failure: 'audit.actions.security.integrity_failure',
  },
  access: {
    denied: 'audit.actions.access.denied',
  },
  key_worker: {
    listed: 'audit.actions.key_worker.listed',
    assigned: 'audit.actions.key_worker.assigned',
    removed: 'audit.actions.key_worker.removed',
    people_listed: 'audit.actions.key_worker.people_listed',
    handed_over: 'audit.actions.key_worker.handed_over',
  },
  canary: {
    planted: 'audit.actions.canary.planted',
    listed: 'audit.actions.canary.listed',
    retired: 'audit.actions.canary.retired',
  },
  follow_up: {
    created: 'audit.actions.follow_up.created',
    listed: 'audit.actions.follow_up.listed',
    updated: 'audit.actions.follow_up.updated',
    assignees_listed: 'audit.actions.follow_up.assignees_listed',
  },
  day: {
    viewed: 'audit.actions.day.viewed',
    counted: 'audit.actions.day.counted',
  },
  disclosure: {
    recorded: 'audit.actions.disclosure.recorded',
    listed: 'audit.actions.disclosure.listed',
    viewed: 'audit.actions.disclosure.viewed',
    reviewed: 'audit.actions.disclosure.reviewed',
    approved: 'audit.actions.disclosure.approved',
    refused: 'audit.actions.disclosure.refused',
    exported: 'audit.actions.disclosure.exported',
    downloaded: 'audit.actions.disclosure.downloaded',
    closed: 'audit.actions.disclosure.closed',
    person_listed: 'audit.actions.disclosure.person_listed',
  },
  retention: {
    viewed: 'audit.actions.retention.viewed',
    updated: 'audit.actions.retention.updated',
    dry_run: 'audit.actions.retention.dry_run',
    purged: 'audit.actions.retention.purged',
    runs_viewed: 'audit.actions.retention.runs_viewed',
  },
};

export const ACTION_GROUP_LABEL_KEYS: Readonly<Record<ActionGroup, string>> = {
  auth: 'audit.actionGroups.auth',
  staff: 'audit.actionGroups.staff',
  organisation: 'audit.actionGroups.organisation',
  keys: 'audit.actionGroups.keys',
  jobs: 'audit.actionGroups.jobs',
  backups: 'audit.actionGroups.backups',
  audit: 'audit.actionGroups.audit',
  person: 'audit.actionGroups.person',
  contact: 'audit.actionGroups.contact',
  need: 'audit.actionGroups.need',
  intake: 'audit.actionGroups.intake',
  referral: 'audit.actionGroups.referral',
  partner: 'audit.actionGroups.partner',
  consent: 'audit.actionGroups.consent',
  outcome: 'audit.actionGroups.outcome',
  report: 'audit.actionGroups.report',
  security: 'audit.actionGroups.security',
  access: 'audit.actionGroups.access',
  key_worker: 'audit.actionGroups.key_worker',
  canary: 'audit.actionGroups.canary',
  follow_up: 'audit.actionGroups.follow_up',
  day: 'audit.actionGroups.day',
  disclosure: 'audit.actionGroups.disclosure',
  retention: 'audit.actionGroups.retention',
};

/** The groups in the order the action select shows them. */
export const ACTION_GROUPS = Object.keys(ACTION_GROUP_LABEL_KEYS) as ActionGroup[];

/**
 * The translation key of an action's label. An action this console does not know yet (the API
 * may add some first) is shown as it is.
 */
export function actionLabelKey(action: string): string {
  const dot = action.indexOf('.');
  const labels = (ACTION_LABELS as Readonly<Record<string, Readonly<Record<string, string>>>>)[
    action.slice(0, dot)
  ];
  return (dot > 0 ? labels?.[action.slice(dot + 1)] : undefined) ?? action;
}

export const OUTCOME_LABEL_KEYS: Readonly<Record<AuditOutcome, string>> = {
  success: 'audit.outcomes.success',
  denied: 'audit.outcomes.denied',
  failure: 'audit.outcomes.failure',
};

export const AUDIT_OUTCOMES: readonly AuditOutcome[] = ['success', 'denied', 'failure'];

const RESOURCE_TYPE_LABEL_KEYS: Readonly<Record<AuditResourceType, string>> = {
  access_event: 'audit.resourceTypes.access_event',
  access_log: 'audit.resourceTypes.access_log',
  anomaly: 'audit.resourceTypes.anomaly',
  backup_run: 'audit.resourceTypes.backup_run',
  canary: 'audit.resourceTypes.canary',
  checkpoint: 'audit.resourceTypes.checkpoint',
  contact: 'audit.resourceTypes.contact',
  disclosure_request: 'audit.resourceTypes.disclosure_request',
  follow_up: 'audit.resourceTypes.follow_up',
  job: 'audit.resourceTypes.job',
  organisation: 'audit.resourceTypes.organisation',
  partner: 'audit.resourceTypes.partner',
  person: 'audit.resourceTypes.person',
  purge_run: 'audit.resourceTypes.purge_run',
  referral: 'audit.resourceTypes.referral',
  report: 'audit.resourceTypes.report',
  retention_policy: 'audit.resourceTypes.retention_policy',
  session: 'audit.resourceTypes.session',
  staff_change_request: 'audit.resourceTypes.staff_change_request',
  staff_user: 'audit.resourceTypes.staff_user',
  support_need: 'audit.resourceTypes.support_need',
};

/**
 * The translation key of a record type's label. A type this console does not know (an older or
 * newer API) is shown as it is.
 */
export function resourceTypeLabelKey(type: string): string {
  return isAuditResourceType(type) ? RESOURCE_TYPE_LABEL_KEYS[type] : type;
}

export const ANOMALY_LABEL_KEYS: Readonly<Record<AnomalyKind, string>> = {
  many_reveals: 'audit.anomalies.kinds.many_reveals',
  off_hours: 'audit.anomalies.kinds.off_hours',
  canary_access: 'audit.anomalies.kinds.canary_access',
  repeated_denials: 'audit.anomalies.kinds.repeated_denials',
  id_sweep: 'audit.anomalies.kinds.id_sweep',
  // Separation of duties.
  own_role_change: 'audit.anomalies.kinds.own_role_change',
  guarded_role_grant: 'audit.anomalies.kinds.guarded_role_grant',
  guarded_account_reset: 'audit.anomalies.kinds.guarded_account_reset',
  staff_change_approved: 'audit.anomalies.kinds.staff_change_approved',
};

/** One sentence on why each kind of anomaly matters. */
export const ANOMALY_HINT_KEYS: Readonly<Record<AnomalyKind, string>> = {
  many_reveals: 'audit.anomalies.hints.many_reveals',
  off_hours: 'audit.anomalies.hints.off_hours',
  canary_access: 'audit.anomalies.hints.canary_access',
  repeated_denials: 'audit.anomalies.hints.repeated_denials',
  id_sweep: 'audit.anomalies.hints.id_sweep',
  // Separation of duties.
  own_role_change: 'audit.anomalies.hints.own_role_change',
  guarded_role_grant: 'audit.anomalies.hints.guarded_role_grant',
  guarded_account_reset: 'audit.anomalies.hints.guarded_account_reset',
  staff_change_approved: 'audit.anomalies.hints.staff_change_approved',
};
