import { PERMISSIONS, permissionsFor } from './permissions';
import { ROLES } from './roles';

describe('permissionsFor', () => {
  it('gives every permission to at least one role', () => {
    const all = permissionsFor(ROLES);
    for (const permission of PERMISSIONS) expect(all.has(permission)).toBe(true);
  });

  it('keeps auditors and admins away from case content', () => {
    for (const role of ['auditor', 'admin'] as const) {
      const granted = permissionsFor([role]);
      expect(granted.has('case:read')).toBe(false);
      expect(granted.has('identity:reveal')).toBe(false);
    }
  });

  it('keeps the access log to auditors', () => {
    for (const role of ['caseworker', 'coordinator', 'admin'] as const) {
      expect(permissionsFor([role]).has('audit:read')).toBe(false);
    }
    expect(permissionsFor(['auditor']).has('audit:read')).toBe(true);
  });

  it('gives reports to coordinators only', () => {
    expect(permissionsFor(['coordinator']).has('reports:read')).toBe(true);
    expect(permissionsFor(['caseworker']).has('reports:read')).toBe(false);
  });

  it('lets coordinators, not caseworkers, erase a person', () => {
    expect(permissionsFor(['coordinator']).has('case:erase')).toBe(true);
    expect(permissionsFor(['caseworker']).has('case:erase')).toBe(false);
  });

  it('lets coordinators record disclosure requests and read their files; admins only approve', () => {
    const coordinator = permissionsFor(['coordinator']);
    for (const p of ['disclosure:record', 'disclosure:read', 'disclosure:approve'] as const) {
      expect(coordinator.has(p)).toBe(true);
    }
    const admin = permissionsFor(['admin']);
    expect(admin.has('disclosure:approve')).toBe(true);
    expect(admin.has('disclosure:record')).toBe(false);
    expect(admin.has('disclosure:read')).toBe(false);
    for (const role of ['caseworker', 'auditor'] as const) {
      for (const p of ['disclosure:record', 'disclosure:read', 'disclosure:approve'] as const) {
        expect(permissionsFor([role]).has(p)).toBe(false);
      }
    }
  });

  it('grants nothing for no roles', () => {
    expect(permissionsFor([]).size).toBe(0);
  });
});
