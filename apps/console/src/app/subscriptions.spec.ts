import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/**
 * The rule: every subscription in the console ends with the life of what made it, so that a page
 * left mid-request sets no state afterwards and a closed dialog stops listening. One-shot HTTP
 * calls are not exempt. On the text of every non-test `.ts` file under `apps/console/src`, each
 * `.subscribe(` must come straight after a chain of `.pipe(…)` calls one of which includes
 * `takeUntilDestroyed(…)` — of the component (`this.destroyRef`), of a store's injector, or with
 * no argument in an injection context. Whatever needs no subscription at all (signals, `toSignal`,
 * `rxResource`, a store method) passes by having none.
 */
const source = resolve(__dirname, '..');
const repository = resolve(source, '../../..');

/** Every non-test `.ts` file under `dir`. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** The index of the `(` that opens the group whose `)` is at `close`, or -1. */
function openingOf(text: string, close: number): number {
  let depth = 0;
  for (let i = close; i >= 0; i--) {
    if (text[i] === ')') depth++;
    else if (text[i] === '(' && --depth === 0) return i;
  }
  return -1;
}

/** The index of the last non-space character at or before `at`. */
function skipSpaceBack(text: string, at: number): number {
  let i = at;
  while (i >= 0 && /\s/.test(text[i]!)) i--;
  return i;
}

/** Whether the `.subscribe(` at `at` follows a `.pipe(…)` chain with `takeUntilDestroyed(…)`. */
function tied(text: string, at: number): boolean {
  let end = skipSpaceBack(text, at - 1);
  while (text[end] === ')') {
    const open = openingOf(text, end);
    const callee = skipSpaceBack(text, open - 1);
    if (open < 0 || text.slice(callee - 4, callee + 1) !== '.pipe') return false;
    if (/\btakeUntilDestroyed\(/.test(text.slice(open, end))) return true;
    end = skipSpaceBack(text, callee - 5);
  }
  return false;
}

/** `line: source` of each `.subscribe(` in `text` that is not tied to a life. */
export function untiedSubscriptions(text: string): string[] {
  const lines = text.split('\n');
  return [...text.matchAll(/\.subscribe\(/g)]
    .filter((match) => !tied(text, match.index))
    .map((match) => {
      const line = text.slice(0, match.index).split('\n').length;
      return `${line}: ${lines[line - 1]!.trim()}`;
    });
}

describe('subscriptions in the console', () => {
  it('are all tied to the life of the component, dialog, service or store that makes them', () => {
    const files = sourceFiles(source);
    expect(files.length).toBeGreaterThan(100);
    const texts = files.map((file) => readFileSync(file, 'utf8'));
    // The scan sees the console's subscriptions (a scan that finds none proves nothing).
    expect(texts.join('\n').match(/\.subscribe\(/g)?.length).toBeGreaterThan(20);
    const untied = files.flatMap((file, i) =>
      untiedSubscriptions(texts[i]!).map((at) => `${relative(repository, file)}:${at}`),
    );
    expect(untied).toEqual([]);
  });

  it('flags an untied subscription, naming its line', () => {
    const text = [
      'this.api.person(id).subscribe({ next: (p) => this.person.set(p) });',
      'this.api.person(id).pipe(map((p) => p.code)).subscribe((c) => this.code.set(c));',
      'this.api.person(id).pipe(takeUntilDestroyed(this.destroyRef));',
      'other$.subscribe(() => undefined);',
      'subscribe(takeUntilDestroyed(this.destroyRef)).subscribe();',
    ].join('\n');
    expect(untiedSubscriptions(text)).toEqual([
      '1: this.api.person(id).subscribe({ next: (p) => this.person.set(p) });',
      '2: this.api.person(id).pipe(map((p) => p.code)).subscribe((c) => this.code.set(c));',
      '4: other$.subscribe(() => undefined);',
      '5: subscribe(takeUntilDestroyed(this.destroyRef)).subscribe();',
    ]);
  });

  it('accepts takeUntilDestroyed anywhere in the pipe chain before the subscription', () => {
    const text = [
      'this.api.person(id)',
      '  .pipe(takeUntilDestroyed(this.destroyRef))',
      '  .subscribe({ next: (p) => this.person.set(p) });',
      'this.changes$.pipe(takeUntilDestroyed()).pipe(map((c) => c.id)).subscribe(this.ids);',
      'this.lang$.pipe(filter(Boolean), takeUntilDestroyed()).subscribe(this.set);',
      'this.timer.unsubscribe();',
    ].join('\n');
    expect(untiedSubscriptions(text)).toEqual([]);
  });
});
