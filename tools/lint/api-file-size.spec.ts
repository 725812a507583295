import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * A file in the API that grows past 500 lines holds more than one job: split it by job (see
 * ARCHITECTURE.md, "Inside the API"). Tests count too: a long spec is split by theme, its
 * shared set-up in `apps/api/src/test/medium/`.
 */
const root = resolve(__dirname, '../..');
const LIMIT = 500;

/** Lines of a text as an editor numbers them (a final newline ends the last line). */
export const linesOf = (text: string): number =>
  text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

describe('the API is made of small files', () => {
  it(`has no TypeScript file over ${LIMIT} lines under apps/api/src`, () => {
    const files = execFileSync(
      'git',
      ['ls-files', '--cached', '--others', '--exclude-standard', 'apps/api/src'],
      { cwd: root, encoding: 'utf8' },
    )
      .split('\n')
      .filter((f) => f.endsWith('.ts') && existsSync(join(root, f)));
    expect(files.length).toBeGreaterThan(100);
    const long = files
      .map((file) => ({ file, lines: linesOf(readFileSync(join(root, file), 'utf8')) }))
      .filter((f) => f.lines > LIMIT);
    expect(long).toEqual([]);
  });

  it('counts lines as an editor does', () => {
    expect(linesOf('')).toBe(0);
    expect(linesOf('a')).toBe(1);
    expect(linesOf('a\n')).toBe(1);
    expect(linesOf('a\nb\n')).toBe(2);
    expect(linesOf(`${'x\n'.repeat(LIMIT + 1)}`)).toBeGreaterThan(LIMIT);
  });
});
