import type { AuditAction, Role } from '@harbour/domain';

/**
 * Details a service adds to the current request's access event: the actor when there is no
 * session yet (sign-in), the ids of resources created or read, fields revealed, a purpose.
 */
export interface AuditNote {
  /** For routes whose action depends on the request (a report viewed or exported as CSV). */
  action?: AuditAction;
  organisationId?: string;
  actorId?: string;
  actorRoles?: readonly Role[];
  resourceIds?: readonly string[];
  fields?: readonly string[];
  purpose?: string;
}

/** Adds `details` to `note`: ids and fields accumulate, everything else is replaced. */
export function addToAuditNote(note: AuditNote, details: AuditNote): void {
  Object.assign(note, {
    ...details,
    resourceIds: [...(note.resourceIds ?? []), ...(details.resourceIds ?? [])],
    fields: [...(note.fields ?? []), ...(details.fields ?? [])],
  });
}
