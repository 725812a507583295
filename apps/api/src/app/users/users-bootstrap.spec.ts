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

/**
 * Separation of duties (ADR 0008): `UsersService.insert` writes an account with whatever roles it
 * is given. Besides the service's own `createNow` (an account without a guarded role, or one a
 * second admin approved), only the two bootstraps that run before a second admin can exist may
 * call it: the operator CLI creating a new organisation's first admin, and the development demo
 * seed (plus the medium-test harness). A new caller is a new way to mint a caseworker alone.
 */
describe('who may create accounts directly', () => {
  it('is only the service itself, the operator CLI, the demo seed and the test harness', () => {
    const callers = sourceFiles(SRC)
      .filter((file) => readFileSync(file, 'utf8').includes('UsersService.insert('))
      .map((file) => relative(SRC, file))
      .sort();
    expect(callers).toEqual([
      'app/seed/demo-seed.ts',
      'app/users/users.service.ts',
      'cli.ts',
      'test/medium/auth-harness.ts',
    ]);
  });

  it('lets the CLI create only an admin, and only in the organisation it has just created', () => {
    const cli = readFileSync(join(SRC, 'cli.ts'), 'utf8');
    const start = cli.indexOf("case 'create-admin':");
    const end = cli.indexOf('case ', start + 1);
    const command = cli.slice(start, end);
    expect(command).toMatch(
      /const organisationId = await app\.get\(OrganisationService\)\.create\(/,
    );
    expect(command).toMatch(/UsersService\.insert\(\s*tx,\s*organisationId,/);
    expect(command).toMatch(/roles: \['admin'\]/);
    expect(command).not.toMatch(/caseworker|coordinator/);
  });
});
