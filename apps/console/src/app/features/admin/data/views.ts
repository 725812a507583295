import type { OrganisationSettingsView, StaffApprovalView, StaffUserView } from '@harbour/domain';
import { STAFF_CHANGE_KINDS } from '@harbour/domain';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Whether an answer whose shape the contract leaves open is a `StaffUserView`. */
export function isStaffUserView(value: unknown): value is StaffUserView {
  return (
    isRecord(value) &&
    typeof value['id'] === 'string' &&
    typeof value['email'] === 'string' &&
    Array.isArray(value['roles']) &&
    typeof value['version'] === 'number'
  );
}

/** Whether an answer whose shape the contract leaves open is an `OrganisationSettingsView`. */
export function isOrganisationSettingsView(value: unknown): value is OrganisationSettingsView {
  return (
    isRecord(value) &&
    typeof value['id'] === 'string' &&
    typeof value['name'] === 'string' &&
    typeof value['version'] === 'number' &&
    Number.isInteger(value['reportK']) &&
    isRecord(value['lockdown']) &&
    typeof value['lockdown']['active'] === 'boolean' &&
    Array.isArray(value['lockdown']['liftApprovals'])
  );
}

/** Whether a value is a staff change waiting for a second admin (`StaffApprovalView`). */
export function isStaffApprovalView(value: unknown): value is StaffApprovalView {
  return (
    isRecord(value) &&
    typeof value['id'] === 'string' &&
    (STAFF_CHANGE_KINDS as readonly unknown[]).includes(value['kind']) &&
    typeof value['email'] === 'string' &&
    typeof value['displayName'] === 'string' &&
    Array.isArray(value['rolesBefore']) &&
    Array.isArray(value['rolesAfter']) &&
    isRecord(value['requestedBy']) &&
    typeof value['requestedBy']['id'] === 'string' &&
    typeof value['expiresAt'] === 'string'
  );
}
