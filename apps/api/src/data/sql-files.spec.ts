import { readdirSync, readFileSync, writeFileSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compile, registeredStatements, statement, valuesOf } from './sql';

/**
 * Every hand-written statement of the data-access layer is committed to `apps/api/sql`, one
 * file per group, so a query change shows up as a reviewed diff. This test loads every module
 * under `data/`, renders the files and fails on any difference; `npm run sql` writes them.
 */
const dataDir = __dirname;
const sqlDir = resolve(__dirname, '../../sql');
const write = process.env['HARBOUR_WRITE_SQL'] === '1';

function modules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return modules(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('spec.ts') ? [path] : [];
  });
}

async function render(): Promise<Map<string, string>> {
  for (const file of modules(dataDir)) await import(file);
  const groups = new Map<string, string[]>();
  const statements = [...registeredStatements().values()]
    .filter((s) => !s.name.startsWith('sqltest.'))
    .sort((a, b) => a.name.localeCompare(b.name));
  for (const s of statements) {
    const group = s.name.split('.')[0]!;
    const body = `-- ${s.name}\n${s.text.trim()};\n`;
    groups.set(group, [...(groups.get(group) ?? []), body]);
  }
  const header =
    '-- Generated from the statements in apps/api/src/data by sql-files.spec.ts.\n' +
    '-- Do not edit: change the statement in its repository, then run `npm run sql`.\n';
  return new Map(
    [...groups].map(([group, bodies]) => [`${group}.sql`, `${header}\n${bodies.join('\n')}`]),
  );
}

describe('committed SQL files', () => {
  it('match the statements of the data-access layer', async () => {
    const expected = await render();
    if (write) {
      if (existsSync(sqlDir)) rmSync(sqlDir, { recursive: true });
      mkdirSync(sqlDir, { recursive: true });
      for (const [file, text] of expected) writeFileSync(join(sqlDir, file), text);
    }
    const committed = existsSync(sqlDir)
      ? new Map(readdirSync(sqlDir).map((f) => [f, readFileSync(join(sqlDir, f), 'utf8')]))
      : new Map<string, string>();
    expect([...committed.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [file, text] of expected) {
      expect({ file, text: committed.get(file) }).toEqual({ file, text });
    }
  });
});

describe('statements with named parameters', () => {
  it('compiles :name to $n, one number per name, leaving casts alone', () => {
    expect(compile('SELECT :a::uuid, :b, :a FROM t WHERE x = :b_2')).toEqual({
      sql: 'SELECT $1::uuid, $2, $1 FROM t WHERE x = $3',
      order: ['a', 'b', 'b_2'],
    });
  });

  it('leaves literals, quoted identifiers, dollar quotes and comments alone', () => {
    const text = `SELECT ':no', "a:b", $$ :no $$, $f$ :no $f$ -- :no\n /* :no */ , :yes`;
    expect(compile(text)).toEqual({
      sql: `SELECT ':no', "a:b", $$ :no $$, $f$ :no $f$ -- :no\n /* :no */ , $1`,
      order: ['yes'],
    });
  });

  it('refuses a missing parameter, a name used for two texts, and two names for one prepared statement', () => {
    const s = statement<{ a: string; b: number | null }>('sqltest.one', 'SELECT :a, :b');
    expect(valuesOf(s, { a: 'x', b: null })).toEqual(['x', null]);
    expect(() => valuesOf(s, { a: 'x' } as never)).toThrow('parameter b is missing');
    expect(() => statement('sqltest.one', 'SELECT 2')).toThrow('two statements are named');
    expect(() => statement('NoGroup', 'SELECT 1')).toThrow('group.name');
    // Two names that fold to one prepared statement.
    statement('sqltest.byId', 'SELECT 3');
    expect(() => statement('sqltest.byid', 'SELECT 4')).toThrow(
      'would share the prepared statement',
    );
  });
});
