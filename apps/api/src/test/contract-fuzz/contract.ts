import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** The parts of the committed OpenAPI document (apps/api/openapi.json) the fuzzer reads. */
export interface Schema {
  type?: string;
  format?: string;
  pattern?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  nullable?: boolean;
  $ref?: string;
  anyOf?: Schema[];
  allOf?: Schema[];
}

export interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly required?: boolean;
  readonly schema?: Schema;
}

interface Response {
  readonly $ref?: string;
  readonly description?: string;
  readonly content?: Record<string, { schema?: Schema }>;
}

export interface Operation {
  readonly method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** The OpenAPI path, e.g. `/api/persons/{id}`. */
  readonly path: string;
  /** As the access matrix names it, e.g. `GET /api/persons/:id`. */
  readonly route: string;
  readonly description: string;
  readonly parameters: readonly Parameter[];
  readonly body: Schema | undefined;
  readonly responses: Readonly<Record<string, Response>>;
}

export interface Document {
  readonly paths: Record<string, Record<string, Omit<Operation, 'method' | 'path' | 'route'>>>;
  readonly components: {
    readonly schemas: Record<string, Schema>;
    readonly responses: Record<string, Response>;
  };
}

export const OPENAPI_PATH = join(__dirname, '../../../openapi.json');

export function loadDocument(): Document {
  return JSON.parse(readFileSync(OPENAPI_PATH, 'utf8')) as Document;
}

/** Every operation of the document, in document order. */
export function listOperations(document: Document): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, raw]) => {
      const op = raw as unknown as {
        description?: string;
        parameters?: Parameter[];
        requestBody?: { content: Record<string, { schema: Schema }> };
        responses: Record<string, Response>;
      };
      return {
        method: method as Operation['method'],
        path,
        route: `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`,
        description: op.description ?? '',
        parameters: op.parameters ?? [],
        body: op.requestBody?.content['application/json']?.schema,
        responses: op.responses,
      };
    }),
  );
}

export function resolveSchema(document: Document, schema: Schema): Schema {
  if (schema.$ref === undefined) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  const found = document.components.schemas[name];
  if (found === undefined) throw new Error(`openapi: no schema ${name}`);
  return found;
}

/** What came back for one request, as the checks need it. */
export interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly correlationId: string | undefined;
  readonly text: string;
}

/** A body that shows the inside of the server: a stack frame, a driver error or SQL. */
const LEAKS: readonly RegExp[] = [
  /\bat \S+ \(.*:\d+:\d+\)/,
  /\bat (?:file:\/\/|\/)[^\s]+:\d+:\d+/,
  /node_modules\//,
  /\b(?:QueryFailedError|TypeORMError|EntityNotFound|TypeError|ReferenceError|RangeError|SyntaxError)\b/,
  /\b(?:SELECT\s[\s\S]*\bFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b/i,
  /\b(?:violates (?:foreign key|unique|check|not-null) constraint|syntax error at or near|relation "\w+")/,
];

/**
 * Checks answers against the contract: the status is one the operation lists (a success
 * explicitly; an error explicitly or through `default`), an error body is an `ApiError` whose
 * `code` the contract maps to that very status (and, for an explicitly listed error response,
 * is one of the codes it lists), the correlation id in the body is the header's, a 204 is
 * empty, a success comes as a media type the operation lists and a JSON success body validates
 * against its schema (derived from the handler's return type), and no body leaks a stack frame
 * or SQL.
 */
export class ContractChecker {
  private readonly apiError: ValidateFunction;
  /** Strict ajv over the document's schemas, `nullable` turned into JSON Schema's `null`. */
  private readonly strict: Ajv;
  private readonly successValidators = new Map<string, ValidateFunction>();
  /** Success bodies validated against a schema so far, and the operations they answered. */
  validatedBodies = 0;
  readonly validatedRoutes = new Set<string>();
  /** Codes and their status per named error response, read from the document's descriptions. */
  private readonly codesByResponse = new Map<string, Map<string, number>>();

  constructor(private readonly document: Document) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    ajv.addSchema({ $id: 'openapi', components: document.components }, 'openapi');
    this.apiError = ajv.compile({ $ref: 'openapi#/components/schemas/ApiError' });
    this.strict = new Ajv({ allErrors: true, strict: true });
    addFormats(this.strict);
    const defs = JSON.stringify(toJsonSchema(document.components.schemas));
    this.strict.addSchema({
      $id: 'openapi',
      $defs: JSON.parse(defs.replaceAll('"#/components/schemas/', '"#/$defs/')) as object,
    });
    for (const [name, response] of Object.entries(document.components.responses)) {
      const codes = new Map<string, number>();
      for (const match of (response.description ?? '').matchAll(/`(\w+)` \((\d{3})\)/g))
        codes.set(match[1]!, Number(match[2]));
      this.codesByResponse.set(name, codes);
    }
    if ((this.codesByResponse.get('Error')?.size ?? 0) < 10)
      throw new Error('openapi: the Error response no longer lists its codes');
  }

  /** Every way this answer breaks the contract (empty when it conforms). */
  check(operation: Operation, answer: Answer): string[] {
    const problems: string[] = [];
    const status = String(answer.status);
    if (answer.status >= 500) problems.push(`server error ${status}`);
    for (const leak of LEAKS) {
      // The contract document itself is served verbatim; everything else is scanned.
      if (operation.route === 'GET /api/openapi.json' && answer.status === 200) break;
      if (leak.test(answer.text)) problems.push(`body leaks ${leak.source}`);
    }
    const explicit = operation.responses[status];
    if (answer.status < 400) {
      if (explicit === undefined) problems.push(`success ${status} not listed`);
      if (answer.status === 204 && answer.text !== '') problems.push('204 with a body');
      if (explicit !== undefined && answer.status !== 204)
        problems.push(...this.success(operation, explicit, answer));
      return problems;
    }
    const listed = explicit ?? operation.responses['default'];
    if (listed === undefined) {
      problems.push(`error ${status} not listed`);
      return problems;
    }
    if (!answer.contentType.startsWith('application/json')) {
      problems.push(`error ${status} as ${answer.contentType || 'no content type'}`);
      return problems;
    }
    let body: unknown;
    try {
      body = JSON.parse(answer.text);
    } catch {
      problems.push(`error ${status} body is not JSON`);
      return problems;
    }
    if (!this.apiError(body)) {
      problems.push(
        `error body off ApiError: ${this.apiError.errors?.map((e) => `${e.instancePath} ${e.message}`).join('; ')}`,
      );
      return problems;
    }
    const { code, correlationId } = body as { code: string; correlationId: string };
    const named = listed.$ref?.replace('#/components/responses/', '') ?? 'Error';
    const codes = this.codesByResponse.get(named) ?? new Map<string, number>();
    const mapped = this.codesByResponse.get('Error')!.get(code);
    if (mapped !== answer.status) problems.push(`code ${code} is ${mapped} in the contract`);
    if (!codes.has(code)) problems.push(`code ${code} not in ${named}`);
    if (answer.correlationId !== correlationId) problems.push('correlationId differs from header');
    return problems;
  }

  /** A success's media type is one the operation lists; a JSON body validates against its schema. */
  private success(operation: Operation, response: Response, answer: Answer): string[] {
    const content = response.content ?? {};
    const media = answer.contentType.split(';')[0]!.trim();
    const listed = content[media];
    if (listed === undefined) {
      return [
        `success as ${media || 'no content type'}, the contract lists ${Object.keys(content).join(', ') || 'none'}`,
      ];
    }
    if (!media.includes('json')) return [];
    if (listed.schema === undefined) return [`success as ${media} with no schema`];
    let body: unknown;
    try {
      body = JSON.parse(answer.text);
    } catch {
      return ['success body is not JSON'];
    }
    const key = JSON.stringify(listed.schema);
    let validate = this.successValidators.get(key);
    if (validate === undefined) {
      const rebased = JSON.parse(
        key.replaceAll('"#/components/schemas/', '"openapi#/$defs/'),
      ) as object;
      validate = this.strict.compile(rebased);
      this.successValidators.set(key, validate);
    }
    this.validatedBodies++;
    this.validatedRoutes.add(operation.route);
    if (validate(body)) return [];
    const errors = (validate.errors ?? [])
      .slice(0, 3)
      .map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
    return [`success body off ${key}: ${errors.join('; ')}`];
  }
}

/**
 * OpenAPI 3.0's `nullable` as JSON Schema: `type: [t, 'null']` beside a type, else an `anyOf`
 * with `null` (a nullable `$ref` is written `allOf: [$ref]`, `nullable: true`).
 */
export function toJsonSchema<T>(node: T): T {
  if (Array.isArray(node)) return node.map((item: unknown) => toJsonSchema(item)) as T;
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    // `properties` maps names to schemas: convert the schemas, never read a name as a keyword.
    out[key] =
      key === 'properties'
        ? Object.fromEntries(
            Object.entries(value as object).map(([k, v]) => [k, toJsonSchema(v as unknown)]),
          )
        : toJsonSchema(value as unknown);
  }
  if (out['nullable'] !== true) {
    delete out['nullable'];
    return out as T;
  }
  delete out['nullable'];
  if (typeof out['type'] === 'string') {
    out['type'] = [out['type'], 'null'];
    return out as T;
  }
  return { anyOf: [out, { type: 'null' }] } as T;
}

/** Validates request inputs against the contract (the generator's own check). */
export function requestValidator(document: Document): (schema: Schema, value: unknown) => boolean {
  const ajv = new Ajv({ strict: false });
  addFormats(ajv);
  ajv.addSchema({ $id: 'openapi', components: document.components }, 'openapi');
  const cache = new Map<string, ValidateFunction>();
  return (schema, value) => {
    const key = JSON.stringify(schema);
    let validate = cache.get(key);
    if (validate === undefined) {
      const rebased = JSON.parse(
        key.replaceAll('"#/components/', '"openapi#/components/'),
      ) as object;
      validate = ajv.compile(rebased);
      cache.set(key, validate);
    }
    return validate(value);
  };
}
