import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * One feature folder per concept (`features/<concept>/`), and no feature imports another: what
 * two features share lives in `core/` (for the case features, `core/cases/`), and `core/`
 * imports no feature. Only the app's routes (`app.routes.ts`) reach into features, lazily. The
 * workspace's module-boundary lint rule works between projects, not inside the console, so this
 * test keeps the rule here.
 */
const app = __dirname;

/** Every `.ts` file under `dir`, tests included (a test must not reach across either). */
function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return files(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The relative module paths `text` imports or re-exports, statically or lazily. */
export function relativeImports(text: string): string[] {
  const found = text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)'(\.{1,2}\/[^']*)'/g);
  return [...found].map((match) => match[1]!);
}

/** `features/<name>` or `core` for a path under the app, or null for anything else. */
function areaOf(path: string): string | null {
  const [top, name] = relative(app, path).split(sep);
  if (top === 'core') return 'core';
  if (top === 'features' && name !== undefined) return `features/${name}`;
  return null;
}

/** `file: import` of each import in `file` (with text `text`) that crosses a feature's border. */
export function crossings(file: string, text: string): string[] {
  const from = areaOf(file);
  if (from === null) return [];
  return relativeImports(text)
    .filter((path) => {
      const to = areaOf(resolve(dirname(file), path));
      return to !== null && to !== from && to !== 'core';
    })
    .map((path) => `${relative(app, file)}: ${path}`);
}

describe('console features', () => {
  it('import nothing of another feature, and core imports no feature', () => {
    const all = files(join(app, 'features')).concat(files(join(app, 'core')));
    expect(all.length).toBeGreaterThan(100);
    const texts = all.map((file) => readFileSync(file, 'utf8'));
    // The scan sees the imports (a scan that finds none proves nothing).
    expect(texts.flatMap(relativeImports).length).toBeGreaterThan(300);
    const found = all.flatMap((file, i) => crossings(file, texts[i]!));
    expect(found).toEqual([]);
  });

  it('have one folder per case concept, and no catch-all cases feature', () => {
    const features = readdirSync(join(app, 'features'));
    expect(features).toEqual(expect.arrayContaining(['people', 'contacts', 'intake', 'partners']));
    expect(features).not.toContain('cases');
  });

  it('flags an import across features and from core into a feature (probe)', () => {
    const text = [
      "import { PersonStore } from '../../people/data/person.store';",
      "import { CasesApi } from '../../../core/cases/cases.api';",
      "import { buildTimeline } from './timeline';",
      "const routes = () => import('../../intake/intake.routes');",
    ].join('\n');
    expect(crossings(join(app, 'features/contacts/data/x.ts'), text)).toEqual([
      'features/contacts/data/x.ts: ../../people/data/person.store',
      'features/contacts/data/x.ts: ../../intake/intake.routes',
    ]);
    expect(
      crossings(
        join(app, 'core/cases/x.ts'),
        "export { PartnersStore } from '../../features/partners/data/partners.store';",
      ),
    ).toEqual(['core/cases/x.ts: ../../features/partners/data/partners.store']);
  });
});
