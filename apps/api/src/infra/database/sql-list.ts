/**
 * A list of SQL string literals for CHECK constraints over a fixed vocabulary, e.g.
 * `"status" IN (${sqlList(STATUSES)})`. Only for constants from `@harbour/domain` (identifiers
 * without quotes), never for input.
 */
export function sqlList(values: readonly string[]): string {
  for (const value of values) {
    if (!/^[a-z0-9_]+$/i.test(value)) throw new Error(`not a plain identifier: ${value}`);
  }
  return values.map((v) => `'${v}'`).join(', ');
}
