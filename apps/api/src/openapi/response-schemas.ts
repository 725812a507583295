import { resolve } from 'node:path';
import type { ReferenceObject, ResponseObject, SchemaObject } from '@nestjs/swagger';
import { createGenerator, type Schema } from 'ts-json-schema-generator';
import ts from 'typescript';
import type { ResponseContent } from '../infra/http/response-body';

const ROOT = resolve(__dirname, '../../../..');
const CONTROLLERS = 'apps/api/src/app/**/*.controller.ts';
const DOMAIN_INDEX = resolve(ROOT, 'libs/domain/src/index.ts');

/** What a handler's declared return type (`Promise` unwrapped) says its success body is. */
export type ReturnedBody =
  /** A named interface or type alias, or a list of one. */
  | { readonly kind: 'json'; readonly type: string; readonly array: boolean }
  /** `void`: no content. */
  | { readonly kind: 'none' }
  /** Anything else (a `StreamableFile`, `string`, `unknown`): the handler must say what it sends. */
  | { readonly kind: 'other'; readonly text: string };

export interface ResponseTypes {
  /** By handler, e.g. `PersonsController.get`. */
  readonly returns: ReadonlyMap<string, ReturnedBody>;
  /** The schemas of the named types and of every type they reach, in the OpenAPI 3.0 dialect. */
  readonly schemas: Record<string, SchemaObject>;
}

/**
 * Reads the declared return type of every controller handler and derives the JSON Schema of
 * each named type (plus `extraTypes`, exports of `@harbour/domain` named by `@ResponseBody`)
 * with ts-json-schema-generator: one TypeScript program for all of them. Interfaces come out
 * closed (`additionalProperties: false`). Throws on a name that is no exported type.
 */
export function describeResponseTypes(extraTypes: readonly string[]): ResponseTypes {
  const generator = createGenerator({
    path: resolve(ROOT, CONTROLLERS),
    tsconfig: resolve(ROOT, 'apps/api/tsconfig.app.json'),
    skipTypeCheck: true,
    expose: 'export',
    topRef: true,
    jsDoc: 'extended',
    sortProps: true,
    encodeRefs: false,
    additionalProperties: false,
    functions: 'fail',
  });
  const program = (generator as unknown as { program: ts.Program }).program;
  const checker = program.getTypeChecker();
  const roots = new Map<string, ts.Node>();
  const returns = new Map<string, ReturnedBody>();

  const controllerFiles = program
    .getRootFileNames()
    .map((name) => program.getSourceFile(name))
    .filter((file): file is ts.SourceFile => file !== undefined);
  for (const file of controllerFiles) {
    for (const statement of file.statements) {
      if (!ts.isClassDeclaration(statement) || statement.name === undefined) continue;
      for (const member of statement.members) {
        if (!ts.isMethodDeclaration(member) || !ts.isIdentifier(member.name)) continue;
        const key = `${statement.name.text}.${member.name.text}`;
        returns.set(key, returnedBody(checker, member.type, roots));
      }
    }
  }

  const domain = program.getSourceFile(DOMAIN_INDEX);
  const domainSymbol = domain === undefined ? undefined : checker.getSymbolAtLocation(domain);
  const exported = new Map(
    (domainSymbol === undefined ? [] : checker.getExportsOfModule(domainSymbol)).map((s) => [
      s.name,
      s,
    ]),
  );
  for (const name of extraTypes) {
    const declaration = typeDeclaration(checker, exported.get(name));
    if (declaration === undefined) {
      throw new Error(
        `openapi: @ResponseBody names ${name}, which @harbour/domain does not export`,
      );
    }
    roots.set(name, declaration);
  }

  const generated = generator.createSchemaFromNodes([...roots.values()]);
  const schemas: Record<string, SchemaObject> = {};
  for (const [name, definition] of Object.entries(generated.definitions ?? {})) {
    schemas[componentName(name)] = toOpenApi(definition as Schema);
  }
  for (const name of roots.keys()) {
    if (schemas[name] === undefined) throw new Error(`openapi: no schema derived for ${name}`);
  }
  return { returns, schemas };
}

function returnedBody(
  checker: ts.TypeChecker,
  node: ts.TypeNode | undefined,
  roots: Map<string, ts.Node>,
): ReturnedBody {
  if (node === undefined) return { kind: 'other', text: '(no declared return type)' };
  let inner = node;
  if (
    ts.isTypeReferenceNode(inner) &&
    ts.isIdentifier(inner.typeName) &&
    inner.typeName.text === 'Promise' &&
    inner.typeArguments?.length === 1
  ) {
    inner = inner.typeArguments[0]!;
  }
  if (inner.kind === ts.SyntaxKind.VoidKeyword) return { kind: 'none' };
  const array = ts.isArrayTypeNode(inner);
  const element = ts.isArrayTypeNode(inner) ? inner.elementType : inner;
  if (ts.isTypeReferenceNode(element) && ts.isIdentifier(element.typeName)) {
    const declaration = typeDeclaration(checker, checker.getSymbolAtLocation(element.typeName));
    if (declaration !== undefined && element.typeArguments === undefined) {
      const type = element.typeName.text;
      const known = roots.get(type);
      if (known !== undefined && known !== declaration) {
        throw new Error(`openapi: two response types are named ${type}`);
      }
      roots.set(type, declaration);
      return { kind: 'json', type, array };
    }
  }
  return { kind: 'other', text: node.getText() };
}

/** The interface or type alias a symbol (or the import it is) declares. */
function typeDeclaration(
  checker: ts.TypeChecker,
  symbol: ts.Symbol | undefined,
): ts.InterfaceDeclaration | ts.TypeAliasDeclaration | undefined {
  if (symbol === undefined) return undefined;
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  return target.declarations?.find(
    (d): d is ts.InterfaceDeclaration | ts.TypeAliasDeclaration =>
      ts.isInterfaceDeclaration(d) || ts.isTypeAliasDeclaration(d),
  );
}

/** A definition's name as a component name (`Page<ContactView>` → `Page_ContactView`). */
function componentName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/_+$/, '');
}

/**
 * JSON Schema (draft 7, as generated) to the OpenAPI 3.0 schema dialect: `$ref`s into
 * `components.schemas`, `const` as a one-value `enum`, a `null` type or branch as `nullable`.
 */
export function toOpenApi(schema: Schema): SchemaObject {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    switch (key) {
      case '$schema':
        break;
      case '$ref':
        out['$ref'] = `#/components/schemas/${componentName(
          decodeURIComponent(String(value).replace('#/definitions/', '')),
        )}`;
        break;
      case 'const':
        out['enum'] = [value];
        break;
      case 'properties':
        out['properties'] = Object.fromEntries(
          Object.entries(value as Record<string, Schema>).map(([k, v]) => [k, toOpenApi(v)]),
        );
        break;
      case 'items':
      case 'additionalProperties':
      case 'not':
        out[key] = typeof value === 'object' ? toOpenApi(value as Schema) : value;
        break;
      case 'anyOf':
      case 'oneOf':
      case 'allOf':
        out[key] = (value as Schema[]).map(toOpenApi);
        break;
      default:
        out[key] = value;
    }
  }
  // A `$ref` takes no siblings in OpenAPI 3.0 (they would be ignored): wrap it.
  if (typeof out['$ref'] === 'string' && Object.keys(out).length > 1) {
    out['allOf'] = [{ $ref: out['$ref'] }];
    delete out['$ref'];
  }
  return nullable(out);
}

function nullable(schema: Record<string, unknown>): SchemaObject {
  const type = schema['type'];
  if (Array.isArray(type) && type.includes('null')) {
    const rest = type.filter((t) => t !== 'null');
    if (rest.length !== 1) throw new Error(`openapi: cannot express type ${type.join('|')}`);
    schema['type'] = rest[0];
    schema['nullable'] = true;
    if (Array.isArray(schema['enum']) && !schema['enum'].includes(null)) {
      schema['enum'] = [...(schema['enum'] as unknown[]), null];
    }
  }
  const branches = schema['anyOf'];
  if (Array.isArray(branches)) {
    const isNull = (b: Record<string, unknown>): boolean =>
      b['type'] === 'null' ||
      (Array.isArray(b['enum']) && b['enum'].length === 1 && b['enum'][0] === null);
    const others = (branches as Record<string, unknown>[]).filter((b) => !isNull(b));
    if (others.length < branches.length) {
      delete schema['anyOf'];
      if (others.length === 1) {
        const only = others[0]!;
        // A `$ref` takes no siblings in OpenAPI 3.0: wrap it.
        if ('$ref' in only) Object.assign(schema, { allOf: [only] });
        else Object.assign(schema, only);
      } else {
        schema['anyOf'] = others;
      }
      schema['nullable'] = true;
    }
  }
  return schema;
}

type Responses = Record<string, ResponseObject | ReferenceObject | undefined>;

/**
 * Declares the success body of one operation: from `@ResponseBody` when the handler has one,
 * else from its declared return type (a named type as JSON, `void` as no content). Throws when
 * neither says what a success sends, so no operation is left without a body schema.
 */
export function describeSuccessBody(
  responses: Responses,
  handler: string,
  declared: ResponseContent | undefined,
  types: ResponseTypes,
): void {
  const successes = Object.keys(responses).filter((status) => /^2\d\d$/.test(status));
  if (successes.length !== 1)
    throw new Error(`openapi: ${handler} has ${successes.length} successes`);
  const status = successes[0]!;
  const response = responses[status];
  if (response === undefined || '$ref' in response)
    throw new Error(`openapi: ${handler}'s success is a $ref`);
  if (declared !== undefined) {
    response.content = Object.fromEntries(
      Object.entries(declared).map(([media, name]) => [
        media,
        { schema: mediaSchema(handler, media, name, types) },
      ]),
    );
    return;
  }
  const returned = types.returns.get(handler);
  if (returned === undefined) throw new Error(`openapi: no declared return type for ${handler}`);
  switch (returned.kind) {
    case 'none':
      if (status !== '204')
        throw new Error(`openapi: ${handler} returns void but answers ${status}`);
      delete response.content;
      return;
    case 'json': {
      if (status === '204') throw new Error(`openapi: ${handler} answers 204 but returns a body`);
      const ref = { $ref: `#/components/schemas/${returned.type}` };
      const schema = returned.array ? { type: 'array' as const, items: ref } : ref;
      response.content = { 'application/json': { schema } };
      return;
    }
    case 'other':
      throw new Error(
        `openapi: ${handler} returns ${returned.text}: say what it sends with @ResponseBody`,
      );
  }
}

function mediaSchema(
  handler: string,
  media: string,
  name: string,
  types: ResponseTypes,
): SchemaObject | ReferenceObject {
  if (media.includes('json')) {
    if (types.schemas[name] === undefined) {
      throw new Error(`openapi: ${handler} names ${name}, which is no exported domain type`);
    }
    return { $ref: `#/components/schemas/${name}` };
  }
  if (name === 'text') return { type: 'string' };
  if (name === 'binary') return { type: 'string', format: 'binary' };
  throw new Error(`openapi: ${handler}: ${media} is sent as \`text\` or \`binary\`, not ${name}`);
}

/** The JSON type names `@ResponseBody` declarations use (they are derived with the others). */
export function namedInDeclarations(declared: readonly ResponseContent[]): string[] {
  return [
    ...new Set(
      declared.flatMap((content) =>
        Object.entries(content)
          .filter(([media]) => media.includes('json'))
          .map(([, name]) => name),
      ),
    ),
  ].sort();
}
