import { readFileSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import { resolve } from 'node:path';
import type { INestApplication, Type } from '@nestjs/common';
import { INTERCEPTORS_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { ModulesContainer, NestFactory } from '@nestjs/core';
import {
  DocumentBuilder,
  SwaggerModule,
  type OpenAPIObject,
  type OperationObject,
  type ResponseObject,
  type SchemaObject,
} from '@nestjs/swagger';
import { ERROR_CODES, SESSION_COOKIE, STEP_UP_MS, XSRF_COOKIE, XSRF_HEADER } from '@harbour/domain';
import { AppModule } from '../app/app.module';
import {
  IDEMPOTENCY_KEY_PATTERN,
  IdempotencyInterceptor,
} from '../core/idempotency/idempotency.interceptor';
import { ACCESS_METADATA, STEP_UP_METADATA, type AccessRule } from '../infra/auth/access';
import { loadConfig } from '../infra/config/config';
import { statusForCode } from '../infra/http/error-status';
import { RESPONSE_BODY_METADATA, type ResponseContent } from '../infra/http/response-body';
import { UuidParamPipe } from '../infra/http/uuid-param.pipe';
import { createLogger } from '../infra/logging/logger';
import {
  describeResponseTypes,
  describeSuccessBody,
  namedInDeclarations,
  type ResponseTypes,
} from './response-schemas';
import { describeValidatedClasses, hasValidationRules } from './validation-schemas';

/** The committed document (`npm run openapi` writes it; the unit test checks it for drift). */
export const OPENAPI_FILE = resolve(__dirname, '../../openapi.json');

/** Never connected to: the document app is created in preview mode (no provider runs). */
const NO_DATABASE = 'postgres://openapi@127.0.0.1:1/none';

/**
 * The real application module in Nest's preview mode: modules, controllers and routes are
 * scanned, but no provider is instantiated, so no database, key or clock is touched.
 */
export async function createDocumentApp(): Promise<INestApplication> {
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      DATABASE_URL: NO_DATABASE,
      HARBOUR_CONSOLE_DIR: 'none',
      HARBOUR_AUDIT_WITNESS_DIR: 'none',
      HARBOUR_MIGRATE_ON_START: 'false',
      HARBOUR_SEED_DEMO: 'false',
    },
    process.cwd(),
    { needsMasterKey: false },
  );
  const module = AppModule.forRoot({
    config,
    databaseUrl: NO_DATABASE,
    logger: createLogger('fatal'),
  });
  return NestFactory.create(module, { preview: true, logger: false, abortOnError: false });
}

interface Handler {
  readonly controller: Type;
  readonly name: string;
  readonly fn: object;
}

/** Builds the OpenAPI document of an app made by `createDocumentApp`, keys sorted. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const handlers = listHandlers(app);
  const dtos = describeValidatedClasses(
    handlers.flatMap(({ controller, name }) =>
      (
        (Reflect.getMetadata('design:paramtypes', controller.prototype as object, name) ??
          []) as unknown[]
      ).filter(hasValidationRules),
    ),
  );
  // Success bodies: derived from the handlers' declared return types (one TypeScript program).
  const types = describeResponseTypes(
    namedInDeclarations(handlers.map(({ fn }) => declaredBody(fn)).filter((c) => c !== undefined)),
  );

  const config = new DocumentBuilder()
    .setTitle('Harbour API')
    .setVersion(packageVersion())
    .setDescription(
      [
        'Case-support tracking for outreach organisations (docs/design.md §11). JSON only.',
        'Generated from the controllers and their class-validator DTOs by `npm run openapi`;',
        'unknown body properties are rejected. Success bodies are derived from the TypeScript',
        'types the handlers return (`@harbour/domain`), closed to unknown properties.',
        'Errors share one body, `ApiError`.',
      ].join(' '),
    )
    .addSecurity('session', {
      type: 'apiKey',
      in: 'cookie',
      name: SESSION_COOKIE,
      description: 'HttpOnly session cookie set by `POST /api/auth/login` and the MFA steps.',
    })
    .addSecurity('xsrf', {
      type: 'apiKey',
      in: 'header',
      name: XSRF_HEADER,
      description: `Echo of the \`${XSRF_COOKIE}\` cookie, required on state-changing requests with a session.`,
    })
    .addSecurity('metricsToken', {
      type: 'http',
      scheme: 'bearer',
      description:
        'The metrics token (`HARBOUR_METRICS_TOKEN`), for a Prometheus scraper; not a session.',
    })
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    autoTagControllers: true,
    operationIdFactory: operationId,
  });

  const byOperationId = new Map(handlers.map((h) => [operationId(h.controller.name, h.name), h]));
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const operation = item[method];
      if (operation === undefined) continue;
      const handler = byOperationId.get(operation.operationId ?? '');
      if (handler === undefined) {
        throw new Error(`openapi: no handler for ${method.toUpperCase()} ${path}`);
      }
      describeOperation(operation, method, path, handler, types);
    }
  }

  for (const dto of dtos) {
    const schema = document.components?.schemas?.[dto.name];
    // The global ValidationPipe rejects unknown properties (forbidNonWhitelisted).
    if (schema !== undefined && !('$ref' in schema)) schema.additionalProperties = false;
  }
  const clash = Object.keys(types.schemas).filter((n) => document.components?.schemas?.[n]);
  if (clash.length > 0) throw new Error(`openapi: schema names used twice: ${clash.join(', ')}`);
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...types.schemas, ApiError: API_ERROR_SCHEMA },
    responses: ERROR_RESPONSES,
  };
  return sortKeys(document);
}

/** Stable text of the document: sorted keys, two-space indent, final newline. */
export function serialiseOpenApiDocument(document: OpenAPIObject): string {
  return `${JSON.stringify(sortKeys(document), null, 2)}\n`;
}

function describeOperation(
  operation: OperationObject,
  method: string,
  path: string,
  { controller, name, fn }: Handler,
  types: ResponseTypes,
): void {
  const rule =
    (Reflect.getMetadata(ACCESS_METADATA, fn) as AccessRule | undefined) ??
    (Reflect.getMetadata(ACCESS_METADATA, controller) as AccessRule | undefined);
  if (rule === undefined) throw new Error(`openapi: ${controller.name}.${name} has no access rule`);
  const stepUp = Reflect.getMetadata(STEP_UP_METADATA, fn) === true;
  const unsafe = method !== 'get';
  const isPublic = rule.kind === 'public';
  const idempotent = ((Reflect.getMetadata(INTERCEPTORS_METADATA, fn) ?? []) as unknown[]).includes(
    IdempotencyInterceptor,
  );

  operation.description = [accessText(rule), stepUp ? STEP_UP_TEXT : '']
    .filter((s) => s !== '')
    .join(' ');
  const machine = rule.kind === 'machine';
  operation.security = isPublic
    ? []
    : machine
      ? [{ metricsToken: [] }]
      : [unsafe ? { session: [], xsrf: [] } : { session: [] }];

  const parameters = operation.parameters ?? [];
  for (const parameter of parameters) {
    if ('$ref' in parameter || parameter.in !== 'path') continue;
    if (usesPipe(controller, name, parameter.name, UuidParamPipe)) {
      parameter.schema = { type: 'string', format: 'uuid' };
    }
  }
  if (idempotent) {
    parameters.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description:
        'Retry-safe create: an opaque token (16–64 base64url characters, e.g. a UUID; anything else is 400 `validation_failed`), kept only as a keyed MAC for 24 hours. The same key with the same request replays the first answer (with `Idempotency-Replayed: true`); with another request it is 409 `conflict`.',
      schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN.source },
    });
  }
  operation.parameters = parameters;

  const responses = operation.responses;
  describeSuccessBody(responses, `${controller.name}.${name}`, declaredBody(fn), types);
  for (const [status, response] of Object.entries(responses)) {
    if (response !== undefined && !('$ref' in response) && response.description === '') {
      response.description = STATUS_CODES[Number(status)] ?? status;
    }
  }
  const takesInput = operation.requestBody !== undefined || parameters.length > 0;
  if (takesInput || unsafe) responses['400'] = { $ref: '#/components/responses/BadRequest' };
  if (!isPublic) responses['401'] = { $ref: '#/components/responses/Unauthenticated' };
  if ((!isPublic && !machine) || unsafe) {
    responses['403'] = { $ref: '#/components/responses/Forbidden' };
  }
  // A machine route is off (404) while its token is not configured.
  if (path.includes('{') || machine) responses['404'] = { $ref: '#/components/responses/NotFound' };
  responses['default'] = { $ref: '#/components/responses/Error' };
}

function declaredBody(fn: object): ResponseContent | undefined {
  return Reflect.getMetadata(RESPONSE_BODY_METADATA, fn) as ResponseContent | undefined;
}

const STEP_UP_TEXT = `Needs a step-up (\`POST /api/auth/step-up\`) within the last ${STEP_UP_MS / 60_000} minutes.`;

function accessText(rule: AccessRule): string {
  switch (rule.kind) {
    case 'public':
      return 'Public: no session needed.';
    case 'session':
      return `Session at stage ${rule.stages.map((s) => `\`${s}\``).join(' or ')}.`;
    case 'permission':
      return `Permission \`${rule.permission}\` (signed in, second factor done).`;
    case 'machine':
      return `Machine token \`${rule.token}\` (\`Authorization: Bearer\`); 404 while none is configured.`;
  }
}

function usesPipe(controller: Type, handler: string, param: string, pipe: unknown): boolean {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler) ?? {}) as Record<
    string,
    { data?: unknown; pipes?: unknown[] }
  >;
  return Object.values(args).some((arg) => arg.data === param && arg.pipes?.includes(pipe));
}

function listHandlers(app: INestApplication): Handler[] {
  const handlers: Handler[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (typeof controller !== 'function') continue;
      const proto = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const fn = proto[name];
        if (name !== 'constructor' && typeof fn === 'function') {
          handlers.push({ controller, name, fn });
        }
      }
    }
  }
  return handlers;
}

const API_ERROR_SCHEMA: SchemaObject = {
  type: 'object',
  description: 'The body of every error response. `code` is stable; `message` is for people.',
  required: ['code', 'message', 'correlationId'],
  additionalProperties: false,
  properties: {
    code: { type: 'string', enum: [...ERROR_CODES] },
    message: { type: 'string' },
    correlationId: { type: 'string', description: 'Also sent as `X-Correlation-Id`.' },
    candidates: {
      type: 'array',
      description:
        'For `possible_duplicate`: the likely existing people, pseudonymous (never an identity value).',
      items: {
        type: 'object',
        required: ['id', 'code', 'matchedOn', 'lastSeenOn'],
        additionalProperties: false,
        properties: {
          id: { type: 'string', format: 'uuid' },
          code: { type: 'string', description: 'The person code.' },
          matchedOn: {
            type: 'array',
            items: {
              type: 'string',
              enum: ['name', 'name_similar', 'alias', 'slk', 'phone', 'code'],
            },
          },
          lastSeenOn: {
            type: 'string',
            format: 'date',
            nullable: true,
            description: 'The day of the latest contact, null when none.',
          },
        },
      },
    },
    fields: {
      type: 'array',
      description:
        'For `validation_failed` and `password_rejected`: which fields failed and why (never their values).',
      items: {
        type: 'object',
        required: ['path', 'reason'],
        additionalProperties: false,
        properties: {
          path: { type: 'string', description: 'Dotted path, e.g. `identity.givenName`.' },
          reason: { type: 'string', description: 'The failed rule, e.g. `maxLength`.' },
          limits: {
            type: 'object',
            description:
              'The bounds of the failed rule, when it has any (never a value from the request).',
            additionalProperties: false,
            properties: {
              minLength: { type: 'integer', description: 'Fewest characters or list entries.' },
              maxLength: { type: 'integer', description: 'Most characters or list entries.' },
              min: { type: 'number', description: 'Smallest number.' },
              max: { type: 'number', description: 'Largest number.' },
              earliest: { type: 'string', format: 'date', description: 'Earliest calendar day.' },
              latest: { type: 'string', format: 'date', description: 'Latest calendar day.' },
            },
          },
        },
      },
    },
  },
};

/**
 * Error responses, each listing its codes with their status (from the filter's exhaustive
 * mapping). `Error` (every operation's `default`) lists them all.
 */
const ERROR_RESPONSES: Record<string, ResponseObject> = Object.fromEntries(
  (
    [
      ['BadRequest', 400],
      ['Unauthenticated', 401],
      ['Forbidden', 403],
      ['NotFound', 404],
      ['Error', null],
    ] as const
  ).map(([name, status]) => {
    const codes = ERROR_CODES.filter((code) => status === null || statusForCode(code) === status);
    const list = codes.map((code) => `\`${code}\` (${statusForCode(code)})`).join(', ');
    return [
      name,
      {
        description: `${status === null ? 'Any error' : 'Error'}, by code (status): ${list}.`,
        content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } },
      },
    ];
  }),
);

function packageVersion(): string {
  const file = resolve(__dirname, '../../../../package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/** `PersonsController.create` → `persons_create`. */
function operationId(controller: string, method: string): string {
  const base = controller.replace(/Controller$/, '');
  return `${base.charAt(0).toLowerCase()}${base.slice(1)}_${method}`;
}

function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => sortKeys(item)) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  ) as T;
}
