import { checkRoleSet, isRole, ROLES } from './roles';

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
