import type { EntityManager } from 'typeorm';
import { isUuid } from '@harbour/domain';
import type { Db, OpeningRead, Tx } from '../infra/database/transaction';

/**
 * A hand-written SQL statement with a name and named parameters (`:organisationId`), compiled
 * once to PostgreSQL's positional form (`$1`). Statements are declared at module level in the
 * data-access layer (`apps/api/src/data`), the only place SQL lives; each one is registered so
 * `sql-files.spec.ts` can write every statement to `apps/api/sql/<group>.sql`, where a query
 * change shows up as a reviewed diff.
 *
 * `P` names the parameters and their types; `R` is the shape of a returned row.
 */
export interface Statement<P extends object, R extends object> {
  /** `<group>.<name>`: the group is the committed file, e.g. `persons.lookupByName`. */
  readonly name: string;
  /** As written, with named parameters. */
  readonly text: string;
  /** As sent, with `$n` parameters. */
  readonly sql: string;
  /** Parameter names in `$n` order. */
  readonly order: readonly (keyof P & string)[];
  /** Carries the row type; never set. */
  readonly row?: R;
}

const registry = new Map<string, Statement<object, object>>();

/** Every statement declared so far, by name. */
export function registeredStatements(): ReadonlyMap<string, Statement<object, object>> {
  return registry;
}

const NAME = /^[a-z][a-zA-Z0-9]*\.[a-z][a-zA-Z0-9]*$/;

/**
 * Declares a statement. Named parameters are `:name` (letters, digits, underscores) anywhere
 * outside string literals, quoted identifiers, dollar-quoted bodies and comments; `::type`
 * casts are left alone, so `:id::uuid` is parameter `id` cast to uuid.
 */
export function statement<P extends object = Record<string, never>, R extends object = object>(
  name: string,
  text: string,
): Statement<P, R> {
  if (!NAME.test(name)) throw new Error(`statement name must be group.name: ${name}`);
  const existing = registry.get(name);
  if (existing !== undefined && existing.text !== text) {
    throw new Error(`two statements are named ${name}`);
  }
  const prepared = preparedName(name);
  const sharing = [...registry.values()].find(
    (other) => other.name !== name && preparedName(other.name) === prepared,
  );
  if (sharing !== undefined) {
    throw new Error(`${name} and ${sharing.name} would share the prepared statement ${prepared}`);
  }
  const { sql, order } = compile(text);
  const made: Statement<P, R> = { name, text, sql, order: order as (keyof P & string)[] };
  registry.set(name, made as unknown as Statement<object, object>);
  return made;
}

/** The positional values of `params` for `stmt`; a missing parameter is a programming error. */
export function valuesOf<P extends object>(stmt: Statement<P, object>, params: P): unknown[] {
  return stmt.order.map((key) => {
    const value = params[key];
    if (value === undefined) throw new Error(`${stmt.name}: parameter ${key} is missing`);
    return value;
  });
}

/** Runs a statement in `manager` (a transaction's, or a data source's for autocommit). */
export async function query<P extends object, R extends object>(
  manager: EntityManager,
  stmt: Statement<P, R>,
  params: P,
): Promise<R[]> {
  return await manager.query<R[]>(stmt.sql, valuesOf(stmt, params));
}

/**
 * `query` for an `UPDATE` or `DELETE` with `RETURNING`: TypeORM's postgres driver answers those
 * with `[rows, count]` instead of the rows; this hands back the rows either way.
 */
export async function queryReturning<P extends object, R extends object>(
  manager: EntityManager,
  stmt: Statement<P, R>,
  params: P,
): Promise<R[]> {
  const result = await manager.query<unknown>(stmt.sql, valuesOf(stmt, params));
  const counted =
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number';
  return (counted ? result[0] : result) as R[];
}

/** Runs a hot statement as a prepared statement of the transaction's connection. */
export async function prepared<P extends object, R extends object>(
  tx: Tx,
  stmt: Statement<P, R>,
  params: P,
): Promise<R[]> {
  return await tx.prepared<R>(preparedName(stmt.name), stmt.sql, valuesOf(stmt, params));
}

/**
 * Runs a hot single statement as a prepared statement on its own pooled connection, outside
 * any transaction (it is its own): for work that must not wait for, or join, a request's
 * transaction, such as resolving a session.
 */
export async function standalone<P extends object, R extends object>(
  db: Db,
  stmt: Statement<P, R>,
  params: P,
): Promise<R[]> {
  return await db.statement<R>(preparedName(stmt.name), stmt.sql, valuesOf(stmt, params));
}

/**
 * A statement whose only parameter is the organisation id, as an opening read of request
 * transactions (`Db.addOpeningRead`): prepared by SQL `PREPARE` once per connection, then sent
 * as `EXECUTE` with `START TRANSACTION` in the simple protocol, so the id is inlined as a
 * literal, and only after it has been checked to be a UUID (hex digits and hyphens).
 */
export function openingRead(stmt: Statement<{ organisationId: string }, object>): OpeningRead {
  if (stmt.order.length !== 1 || stmt.order[0] !== 'organisationId') {
    throw new Error(`${stmt.name}: an opening read takes only :organisationId`);
  }
  const name = `hx_${preparedName(stmt.name).slice(2)}`;
  return {
    name: stmt.name,
    prepare: `PREPARE ${name} (uuid) AS ${stmt.sql}`,
    executeFor: (organisationId) => {
      if (!isUuid(organisationId)) throw new Error('invalid tenant id');
      return `EXECUTE ${name}('${organisationId}')`;
    },
    executeForSessionTenant: `EXECUTE ${name}(NULLIF(current_setting('app.org_id', true), '')::uuid)`,
  };
}

/**
 * PostgreSQL's prepared-statement name for a statement (lower case, as identifiers fold).
 * Folding could make two names one (`a.byId`, `a.byid`): `statement()` refuses the second, so
 * one connection never runs a statement prepared for another text.
 */
export function preparedName(name: string): string {
  return `h_${name.replace(/[^a-zA-Z0-9]/g, '_').toLowerCase()}`;
}

/** Compiles `:name` parameters to `$n`, skipping literals, quoted identifiers and comments. */
export function compile(text: string): { sql: string; order: string[] } {
  const order: string[] = [];
  const sql = substitute(text, (key) => {
    let index = order.indexOf(key);
    if (index < 0) index = order.push(key) - 1;
    return `$${index + 1}`;
  });
  return { sql, order };
}

/**
 * A statement for the simple query protocol, which carries several statements in one message but
 * no parameters (`Tx.commitWithLast`): `execute` runs `stmt` prepared by SQL `PREPARE` (as
 * `prepare` makes it, once per connection, so it is planned once there as prepared statements
 * are) with each value written as a literal: its text form (`textOf`) quoted as node-postgres's
 * `escapeLiteral` quotes (`quoted`: quotes and backslashes doubled, `E''` when a backslash is
 * present), so it is read as one untyped literal, taken as the parameter's type exactly as a bound value would be.
 */
export interface SimpleStatement {
  /** The prepared statement's name (`hx_…`, apart from the protocol-level `h_…` ones). */
  readonly name: string;
  readonly prepare: string;
  readonly execute: string;
}

export function simple<P extends object>(stmt: Statement<P, object>, params: P): SimpleStatement {
  const name = `hx_${preparedName(stmt.name).slice(2)}`;
  const literals = stmt.order.map((key) => {
    const value = params[key];
    if (value === undefined) throw new Error(`${stmt.name}: parameter ${key} is missing`);
    return value === null ? 'NULL' : quoted(textOf(value));
  });
  return {
    name,
    prepare: `PREPARE ${name} AS ${stmt.sql}`,
    execute: `EXECUTE ${name}(${literals.join(', ')})`,
  };
}

/**
 * `text` as a string literal, exactly as node-postgres's `escapeLiteral` writes it (quotes and
 * backslashes doubled, `E''` when a backslash is present), by one native replace rather than a
 * loop over every character (the event's bytes and the frontier are kilobytes of hex).
 */
export function quoted(text: string): string {
  const escaped = `'${text.replace(/['\\]/g, '$&$&')}'`;
  return text.includes('\\') ? `E${escaped}` : escaped;
}

/**
 * A parameter value as PostgreSQL's text input reads it: numbers (finite only), booleans, dates
 * (ISO 8601 in UTC), buffers (`\x` hex, bytea's input), arrays as array literals (each element
 * double-quoted with `\` and `"` escaped, null as `NULL`). A NUL would end the message's text
 * early, so a value holding one is refused; any other kind of value is a programming error.
 */
export function textOf(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
  else if (typeof value === 'bigint' || typeof value === 'boolean') text = String(value);
  else if (value instanceof Date) text = value.toISOString();
  else if (Buffer.isBuffer(value)) text = `\\x${value.toString('hex')}`;
  else if (Array.isArray(value)) {
    const elements = (value as unknown[]).map((element) =>
      element === null ? 'NULL' : `"${textOf(element).replace(/[\\"]/g, '\\$&')}"`,
    );
    text = `{${elements.join(',')}}`;
  } else throw new Error(`no literal form for a parameter of type ${typeof value}`);
  if (text.includes('\0')) throw new Error('a literal may not hold NUL');
  return text;
}

/**
 * Calls `param` for each `:name` parameter of `text` and puts its answer in place, leaving string
 * literals, quoted identifiers, dollar-quoted bodies, comments and `::` casts as they are.
 */
function substitute(text: string, param: (key: string) => string): string {
  let sql = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const rest = text.slice(i);
    const skip =
      c === "'"
        ? /^'(?:[^']|'')*'/.exec(rest)
        : c === '"'
          ? /^"(?:[^"]|"")*"/.exec(rest)
          : c === '-' && text[i + 1] === '-'
            ? /^--[^\n]*/.exec(rest)
            : c === '/' && text[i + 1] === '*'
              ? /^\/\*[\s\S]*?\*\//.exec(rest)
              : c === '$'
                ? /^(\$[A-Za-z_]*\$)[\s\S]*?\1/.exec(rest)
                : null;
    if (skip !== null) {
      sql += skip[0];
      i += skip[0].length;
      continue;
    }
    if (c === ':' && text[i + 1] === ':') {
      sql += '::';
      i += 2;
      continue;
    }
    const found = c === ':' ? /^:([A-Za-z_][A-Za-z0-9_]*)/.exec(rest) : null;
    if (found !== null) {
      sql += param(found[1]!);
      i += found[0].length;
      continue;
    }
    sql += c;
    i += 1;
  }
  return sql;
}
