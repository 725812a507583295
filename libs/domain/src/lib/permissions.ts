import type { Role } from './roles';

/**
 * Capabilities of docs/design.md §6. Every API route declares exactly one permission, or is public.
 */
export const PERMISSIONS = [
  'case:read',
  'case:write',
  'identity:reveal',
  'case:erase',
  'referral:override_consent',
  'reports:read',
  'reports:export',
  'audit:read',
  'audit:export',
  'staff:manage',
  'organisation:manage',
  'keys:manage',
  'canaries:manage',
  'retention:manage',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  caseworker: ['case:read', 'case:write', 'identity:reveal'],
  coordinator: [
    'case:read',
    'case:write',
    'identity:reveal',
    'case:erase',
    'referral:override_consent',
    'reports:read',
    'reports:export',
  ],
  auditor: ['audit:read', 'audit:export'],
  admin: [
    'staff:manage',
    'organisation:manage',
    'keys:manage',
    'canaries:manage',
    'retention:manage',
  ],
};

/** The union of the permissions of `roles`. */
export function permissionsFor(roles: readonly Role[]): ReadonlySet<Permission> {
  const granted = new Set<Permission>();
  for (const role of roles)
    for (const permission of ROLE_PERMISSIONS[role]) granted.add(permission);
  return granted;
}
