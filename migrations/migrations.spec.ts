import { readdirSync } from 'node:fs';
import { MIGRATIONS } from './index';

describe('migrations/index.ts', () => {
  const files = readdirSync(__dirname)
    .filter((f) => /^\d+-[A-Za-z]+\.ts$/.test(f))
    .sort();

  it('names every file <epoch-ms>-<VerbNoun>.ts', () => {
    const all = readdirSync(__dirname).filter(
      (f) => f.endsWith('.ts') && f !== 'index.ts' && !f.endsWith('.spec.ts'),
    );
    expect(all.sort()).toEqual(files);
  });

  it('lists every migration file, oldest first, with class names matching file names', () => {
    const listed = MIGRATIONS.map((m) => {
      const name = new m().name ?? m.name;
      const match = /^([A-Za-z]+)(\d+)$/.exec(name);
      return match ? `${match[2]}-${match[1]}.ts` : name;
    });
    expect(listed).toEqual(files);
  });
});
