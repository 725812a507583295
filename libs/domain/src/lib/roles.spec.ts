import {
  checkRoleSet,
  GUARDED_ROLES,
  guardedRolesGranted,
  holdsGuardedRole,
  isGuardedRole,
  isRole,
  ROLES,
  sameRoles,
} from './roles';

describe('checkRoleSet', () => {
  it('accepts every single role', () => {
    for (const role of ROLES) {
      expect(checkRoleSet([role])).toBeNull();
    }
  });

  it('accepts caseworker with coordinator and admin', () => {
    expect(checkRoleSet(['caseworker', 'coordinator'])).toBeNull();
    expect(checkRoleSet(['caseworker', 'coordinator', 'admin'])).toBeNull();
  });

  it('rejects an empty set', () => {
    expect(checkRoleSet([])).toBe('empty');
  });

  it('rejects a role held twice', () => {
    expect(checkRoleSet(['caseworker', 'caseworker'])).toBe('duplicate');
  });

  it('never combines auditor with another role', () => {
    for (const other of ROLES.filter((r) => r !== 'auditor')) {
      expect(checkRoleSet(['auditor', other])).toBe('auditor_combined');
      expect(checkRoleSet([other, 'auditor'])).toBe('auditor_combined');
    }
  });
});

describe('isRole', () => {
  it('recognises only the four roles', () => {
    expect(isRole('auditor')).toBe(true);
    expect(isRole('superuser')).toBe(false);
    expect(isRole(undefined)).toBe(false);
  });
});

describe('guarded roles (separation of duties)', () => {
  it('guards the case roles and admin, never auditor', () => {
    expect(GUARDED_ROLES).toEqual(['caseworker', 'coordinator', 'admin']);
    expect(isGuardedRole('auditor')).toBe(false);
    expect(holdsGuardedRole(['auditor'])).toBe(false);
    expect(holdsGuardedRole(['admin'])).toBe(true);
  });

  it('names the guarded roles a change adds, and only those', () => {
    expect(guardedRolesGranted(['admin'], ['admin', 'caseworker'])).toEqual(['caseworker']);
    expect(guardedRolesGranted(['auditor'], ['coordinator', 'admin'])).toEqual([
      'coordinator',
      'admin',
    ]);
    expect(guardedRolesGranted(['caseworker', 'admin'], ['caseworker'])).toEqual([]);
    expect(guardedRolesGranted(['admin'], ['auditor'])).toEqual([]);
  });

  it('compares role sets regardless of order', () => {
    expect(sameRoles(['admin', 'caseworker'], ['caseworker', 'admin'])).toBe(true);
    expect(sameRoles(['admin'], ['admin', 'caseworker'])).toBe(false);
  });
});
