import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Every subscription in the console ends with the life of what made it: a page left mid-request
 * must not set state (or show a stale answer) afterwards, and a dialog closed must not keep
 * listening. The rule, checked on the text of every non-test `.ts` file under
 * `apps/console/src`: a `.subscribe(` follows a `.pipe(…)` that includes
 * `takeUntilDestroyed(…)` (for the component, or for the store's injector). One-shot HTTP calls
 * are not exempt. Signals (`toSignal`, `resource`) need no subscription at all.
 */
const root = resolve(__dirname, '../..');

/** The index of the `(` that opens the group whose `)` is at `close`, or -1. */
function openingOf(text: string, close: number): number {
  let depth = 0;
  for (let i = close; i >= 0; i--) {
    const c = text[i];
    if (c === ')') depth++;
    else if (c === '(') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** `line: source` of each `.subscribe(` in `text` not tied to a life. */
export function untiedSubscriptions(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/\.subscribe\(/g)) {
    const at = match.index;
    let end = at - 1;
    while (end >= 0 && /\s/.test(text[end]!)) end--;
    let tied = false;
    if (text[end] === ')') {
      const open = openingOf(text, end);
      const callee = text.slice(Math.max(0, open - 5), open);
      tied = callee === '.pipe' && /\btakeUntilDestroyed\(/.test(text.slice(open, end));
    }
    if (!tied) {
      const line = text.slice(0, at).split('\n').length;
      found.push(`${line}: ${text.split('\n')[line - 1]!.trim()}`);
    }
  }
  return found;
}

describe('console subscriptions', () => {
  it('are all tied to the life of the component or store that makes them', () => {
    const files = execFileSync(
      'git',
      ['ls-files', '--cached', '--others', '--exclude-standard', 'apps/console/src'],
      { cwd: root, encoding: 'utf8' },
    )
      .split('\n')
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts') && existsSync(join(root, f)))
      .filter((f) => !f.startsWith('apps/console/src/testing/'));
    expect(files.length).toBeGreaterThan(50);
    const untied = files.flatMap((file) =>
      untiedSubscriptions(readFileSync(join(root, file), 'utf8')).map((at) => `${file}:${at}`),
    );
    expect(untied).toEqual([]);
  });

  it('flags an untied subscription and accepts a tied one', () => {
    const untied = [
      'this.api.person(id).subscribe({ next: (p) => this.person.set(p) });',
      'this.api.person(id).pipe(map((p) => p.code)).subscribe((c) => this.code.set(c));',
    ].join('\n');
    expect(untiedSubscriptions(untied)).toEqual([
      '1: this.api.person(id).subscribe({ next: (p) => this.person.set(p) });',
      '2: this.api.person(id).pipe(map((p) => p.code)).subscribe((c) => this.code.set(c));',
    ]);
    const tied = [
      'this.api.person(id)',
      '  .pipe(takeUntilDestroyed(this.destroyRef))',
      '  .subscribe({ next: (p) => this.person.set(p) });',
    ].join('\n');
    expect(untiedSubscriptions(tied)).toEqual([]);
  });
});
