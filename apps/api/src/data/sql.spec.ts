import { randomBytes } from 'node:crypto';
import { escapeLiteral } from 'pg';
import { compile, quoted, simple, statement, textOf } from './sql';

/**
 * The simple-protocol form of a statement (`simple`): values become quoted literals, in the
 * order of the prepared statement's parameters, and text that would end the literal, the
 * statement or the message early cannot.
 */
describe('simple statements', () => {
  const stmt = statement<{ a: string; b: unknown; c: unknown }>(
    'sqlSpec.sample',
    `SELECT :a::text, ':not_a_param', :b::bytea[], :c::timestamptz, :a -- :c`,
  );

  it('prepares the positional text and executes it with literals in parameter order', () => {
    const at = new Date('2026-12-06T10:00:00.123Z');
    const made = simple(stmt, { a: `it's`, b: [Buffer.from([1, 255]), null], c: at });
    expect(made.name).toBe('hx_sqlspec_sample');
    expect(made.prepare).toBe(`PREPARE hx_sqlspec_sample AS ${compile(stmt.text).sql}`);
    expect(made.execute).toBe(
      `EXECUTE hx_sqlspec_sample('it''s', E'{"\\\\\\\\x01ff",NULL}', '2026-12-06T10:00:00.123Z')`,
    );
  });

  it('doubles quotes and backslashes, so hostile text stays one literal', () => {
    const made = simple(stmt, { a: `x'); COMMIT; --\\`, b: null, c: null });
    expect(made.execute).toBe(`EXECUTE hx_sqlspec_sample(E'x''); COMMIT; --\\\\', NULL, NULL)`);
  });

  it('refuses a NUL, a missing value and values with no text form', () => {
    expect(() => simple(stmt, { a: 'a\0b', b: null, c: null })).toThrow(/NUL/);
    expect(() => simple(stmt, { a: 'a', b: ['x\0'], c: null })).toThrow(/NUL/);
    expect(() => simple(stmt, { a: 'a', b: undefined, c: null })).toThrow(/missing/);
    expect(() => textOf({ not: 'a value' })).toThrow(/no literal form/);
    expect(() => textOf(Number.NaN)).toThrow(/no literal form/);
  });

  it('writes arrays as array literals with quotes and backslashes escaped', () => {
    expect(textOf(['a"b', 'c\\d', '{,}', null])).toBe('{"a\\"b","c\\\\d","{,}",NULL}');
    expect(textOf([])).toBe('{}');
    expect(textOf(12)).toBe('12');
    expect(textOf(true)).toBe('true');
  });

  it('quotes exactly as node-postgres escapeLiteral does', () => {
    const alphabet = `ab'\\"{},\n$:; Ü名🙂`;
    const samples = ['', `'`, '\\', `\\'`, `E'x'`, '\\x00ff'];
    for (let i = 0; i < 500; i++) {
      const bytes = randomBytes(1 + (i % 24));
      samples.push([...bytes].map((b) => [...alphabet][b % [...alphabet].length]).join(''));
    }
    for (const text of samples) expect(quoted(text)).toBe(escapeLiteral(text).trim());
  });
});
