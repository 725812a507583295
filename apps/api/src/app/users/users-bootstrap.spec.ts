import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const SRC = join(__dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !/\.(medium-)?spec\.ts$/.test(entry.name) ? [path] : [];
  });
}

const filesUsing = (text: string): string[] =>
  sourceFiles(SRC)
    .filter((file) => readFileSync(file, 'utf8').includes(text))
    .map((file) => relative(SRC, file))
    .sort();

/**
 * Separation of duties (ADR 0008): `UsersService.insert` writes an account with whatever roles it
 * is given. Besides the service's own `createNow` (an account without a guarded role, or one a
 * second admin approved), only the two bootstraps that run before a second admin can exist may
 * call it: the operator's `StaffBootstrap` (CLI: admins only, until there are two) and the
 * development demo seed (plus the medium-test harness). A new caller is a new way to mint a
 * caseworker alone.
 */
describe('who may create accounts directly', () => {
  it('is only the service itself, the operator bootstrap, the demo seed and the test harness', () => {
    expect(filesUsing('UsersService.insert(')).toEqual([
      'app/seed/demo-seed.ts',
      'app/users/staff-bootstrap.service.ts',
      'app/users/users.service.ts',
      'test/medium/auth-harness.ts',
    ]);
  });

  it('lets nothing but UsersService.insert write an account row', () => {
    expect(filesUsing('insertStaffUser(')).toEqual([
      'app/users/users.service.ts',
      'data/staff/staff-users.repository.ts',
    ]);
  });

  it('lets the operator bootstrap create admins only, and only the CLI use it (staff-bootstrap.medium-spec.ts: up to two)', () => {
    const bootstrap = readFileSync(join(SRC, 'app/users/staff-bootstrap.service.ts'), 'utf8');
    expect(bootstrap).toMatch(/roles: \['admin'\]/);
    expect(bootstrap).not.toMatch(/'caseworker'|'coordinator'|'auditor'/);
    // No controller or service: the operator CLI alone.
    expect(filesUsing('StaffBootstrap)')).toEqual(['cli.ts']);
  });
});
