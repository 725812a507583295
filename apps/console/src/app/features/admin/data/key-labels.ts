import type { JobKind, JobState, KeyStatus, OrganisationKeyPurpose } from '@harbour/domain';

// Translation keys written out in full, so that the translation check sees every one of them;
// `Record` makes each map exhaustive over its closed list in @harbour/domain.

export const KEY_PURPOSE_LABELS: Readonly<Record<OrganisationKeyPurpose, string>> = {
  kek: 'admin.keys.purposes.kek',
  organisation_data: 'admin.keys.purposes.organisation_data',
  index: 'admin.keys.purposes.index',
  audit: 'admin.keys.purposes.audit',
};

export const KEY_STATUS_LABELS: Readonly<Record<KeyStatus, string>> = {
  active: 'admin.keys.statuses.active',
  decrypt_only: 'admin.keys.statuses.decrypt_only',
  retired: 'admin.keys.statuses.retired',
  destroyed: 'admin.keys.statuses.destroyed',
};

export const ROTATION_STATE_LABELS: Readonly<Record<JobState, string>> = {
  queued: 'admin.keys.rotation.states.queued',
  running: 'admin.keys.rotation.states.running',
  completed: 'admin.keys.rotation.states.completed',
  failed: 'admin.keys.rotation.states.failed',
};

export const ROTATION_KIND_LABELS: Readonly<Record<JobKind, string>> = {
  rotate_data_key: 'admin.keys.rotation.kinds.rotate_data_key',
  rotate_kek: 'admin.keys.rotation.kinds.rotate_kek',
};

/** What a rotation's error code means to an admin; an unknown code reads as `internal_error`. */
const ROTATION_ERROR_LABELS: Readonly<Record<string, string>> = {
  unreadable_fields: 'admin.keys.rotation.errors.unreadable_fields',
  internal_error: 'admin.keys.rotation.errors.internal_error',
};

export function rotationErrorLabel(code: string): string {
  return ROTATION_ERROR_LABELS[code] ?? 'admin.keys.rotation.errors.internal_error';
}
