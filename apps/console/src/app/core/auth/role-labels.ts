import type { Role } from '@harbour/domain';

/** Translation keys of role names (written out so that the translation check sees them). */
export const ROLE_LABEL_KEYS: Readonly<Record<Role, string>> = {
  caseworker: 'roles.names.caseworker',
  coordinator: 'roles.names.coordinator',
  auditor: 'roles.names.auditor',
  admin: 'roles.names.admin',
};

/** What each role may do, in one line (docs/design.md §6), for choosing roles. */
export const ROLE_HINT_KEYS: Readonly<Record<Role, string>> = {
  caseworker: 'roles.hints.caseworker',
  coordinator: 'roles.hints.coordinator',
  auditor: 'roles.hints.auditor',
  admin: 'roles.hints.admin',
};
