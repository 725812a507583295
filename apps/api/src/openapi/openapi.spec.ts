import { readFileSync } from 'node:fs';
import type { INestApplication } from '@nestjs/common';
import {
  DECORATORS,
  type OpenAPIObject,
  type ReferenceObject,
  type ResponseObject,
  type SchemaObject,
} from '@nestjs/swagger';
import type { PersonView } from '@harbour/domain';
import { IsDateString, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { ACCESS_MATRIX } from '../app/access-matrix';
import { listRoutes } from '../infra/auth/route-inventory';
import {
  OPENAPI_FILE,
  buildOpenApiDocument,
  createDocumentApp,
  serialiseOpenApiDocument,
} from './openapi-document';
import {
  describeResponseTypes,
  describeSuccessBody,
  type ResponseTypes,
  type ReturnedBody,
} from './response-schemas';
import { describeValidatedClasses } from './validation-schemas';

/** CI fails when the committed OpenAPI document drifts from the controllers and DTOs. */
describe('apps/api/openapi.json', () => {
  let app: INestApplication;
  let document: OpenAPIObject;

  beforeAll(async () => {
    app = await createDocumentApp();
    document = buildOpenApiDocument(app);
  });

  afterAll(async () => {
    await app.close();
  });

  it('is up to date (run `npm run openapi` and commit the result)', () => {
    const expected = serialiseOpenApiDocument(document);
    const committed = readFileSync(OPENAPI_FILE, 'utf8');
    if (committed !== expected) {
      const have = committed.split('\n');
      const want = expected.split('\n');
      const line = want.findIndex((text, i) => have[i] !== text);
      throw new Error(
        `apps/api/openapi.json is out of date: run \`npm run openapi\` and commit it.\n` +
          `First difference at line ${line + 1}:\n  committed: ${have[line] ?? '(end of file)'}\n` +
          `  generated: ${want[line] ?? '(end of file)'}`,
      );
    }
  });

  it('documents exactly the routes of the application and of the access matrix', () => {
    const documented = Object.entries(document.paths)
      .flatMap(([path, item]) =>
        (['get', 'post', 'put', 'patch', 'delete'] as const)
          .filter((method) => item[method] !== undefined)
          .map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
      )
      .sort();
    const routed = listRoutes(app)
      .map((r) => `${r.method} ${r.path}`)
      .sort();
    expect(documented).toEqual(routed);
    expect(documented).toEqual(Object.keys(ACCESS_MATRIX).sort());
  });

  it('names every operation, with a tag and security requirements', () => {
    const operations = Object.values(document.paths).flatMap((item) =>
      [item.get, item.post, item.put, item.patch, item.delete].filter((o) => o !== undefined),
    );
    for (const operation of operations) {
      expect(operation.operationId).toMatch(/^[a-z][A-Za-z]*_[a-z][A-Za-z]*$/);
      expect(operation.tags).toHaveLength(1);
      expect(operation.security).toBeDefined();
    }
    expect(new Set(operations.map((o) => o.operationId)).size).toBe(operations.length);
  });

  it('resolves every $ref inside the document', () => {
    const text = serialiseOpenApiDocument(document);
    const refs = new Set([...text.matchAll(/"\$ref": "#\/([^"]+)"/g)].map((m) => m[1]!));
    const dangling = [...refs].filter(
      (ref) =>
        ref
          .split('/')
          .reduce<unknown>(
            (node, key) => (node as Record<string, unknown> | undefined)?.[key],
            document,
          ) === undefined,
    );
    expect(refs.size).toBeGreaterThan(0);
    expect(dangling).toEqual([]);
  });

  it('declares every success: JSON with a schema of a named type, no content, or a file', () => {
    const schemas = document.components?.schemas ?? {};
    const named = (schema: SchemaObject | ReferenceObject | undefined): string | undefined => {
      if (schema === undefined) return undefined;
      const target = '$ref' in schema ? schema : schema.type === 'array' ? schema.items : schema;
      return target !== undefined && '$ref' in target
        ? target.$ref.replace('#/components/schemas/', '')
        : undefined;
    };
    const problems: string[] = [];
    let json = 0;
    for (const [path, item] of Object.entries(document.paths)) {
      for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
        const operation = item[method];
        if (operation === undefined) continue;
        const successes = Object.entries(operation.responses).filter(([s]) => /^2\d\d$/.test(s));
        for (const [status, response] of successes) {
          const where = `${method.toUpperCase()} ${path} ${status}`;
          if (response === undefined || '$ref' in response) {
            problems.push(`${where}: not described`);
            continue;
          }
          const content = Object.entries(response.content ?? {});
          if (status === '204') {
            if (content.length > 0) problems.push(`${where}: content on a 204`);
            continue;
          }
          if (content.length === 0) problems.push(`${where}: no body declared`);
          for (const [media, { schema }] of content) {
            if (!media.includes('json')) {
              if (schema === undefined || !('type' in schema) || schema.type !== 'string')
                problems.push(`${where}: ${media} is not declared as text or a file`);
              continue;
            }
            json++;
            const name = named(schema);
            if (name === undefined || schemas[name] === undefined)
              problems.push(`${where}: ${media} names no schema (${JSON.stringify(schema)})`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
    expect(json).toBeGreaterThan(90);
  });

  it('derives closed schemas from the domain types, fields as the type has them', () => {
    // Every field of PersonView, checked by the compiler both ways (a missing or extra key fails).
    const fields: Record<keyof PersonView, true> = {
      id: true,
      code: true,
      version: true,
      ageBand: true,
      regionOfOrigin: true,
      languageGroup: true,
      genderIdentity: true,
      consentToReporting: true,
      hasIdentity: true,
      identityFields: true,
      erasedAt: true,
      restricted: true,
      mergedInto: true,
      createdAt: true,
      updatedAt: true,
    };
    const schema = document.components?.schemas?.['PersonView'] as SchemaObject;
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties ?? {}).sort()).toEqual(Object.keys(fields).sort());
    expect(schema.required).not.toContain('mergedInto');
    expect(schema.properties?.['erasedAt']).toEqual(
      expect.objectContaining({ type: 'string', nullable: true }),
    );
    const get = document.paths['/api/persons/{id}']?.get?.responses['200'] as ResponseObject;
    expect(get.content?.['application/json']?.schema).toEqual({
      $ref: '#/components/schemas/PersonView',
    });
  });
});

describe('describeSuccessBody', () => {
  const types: ResponseTypes = {
    returns: new Map<string, ReturnedBody>([
      ['Files.download', { kind: 'other', text: 'Promise<StreamableFile>' }],
      ['Things.remove', { kind: 'none' }],
      ['Things.get', { kind: 'json', type: 'ThingView', array: false }],
    ]),
    schemas: { ThingView: { type: 'object', additionalProperties: false } },
  };
  const ok = (): Record<string, ResponseObject> => ({ '200': { description: 'OK' } });

  it('derives the body from the declared return type', () => {
    const responses = ok();
    describeSuccessBody(responses, 'Things.get', undefined, types);
    expect(responses['200']?.content).toEqual({
      'application/json': { schema: { $ref: '#/components/schemas/ThingView' } },
    });
  });

  it('refuses a success it cannot describe, so no operation goes without a body schema', () => {
    expect(() => describeSuccessBody(ok(), 'Files.download', undefined, types)).toThrow(
      /Files\.download returns Promise<StreamableFile>: say what it sends with @ResponseBody/,
    );
    expect(() => describeSuccessBody(ok(), 'Things.remove', undefined, types)).toThrow(
      /returns void but answers 200/,
    );
    expect(() => describeSuccessBody(ok(), 'Things.unknown', undefined, types)).toThrow(
      /no declared return type for Things\.unknown/,
    );
  });

  it('refuses a @ResponseBody naming a type that does not exist', () => {
    const declared = { 'application/json': 'NoSuchView', 'text/html': 'text' };
    expect(() => describeSuccessBody(ok(), 'Files.download', declared, types)).toThrow(
      /names NoSuchView, which is no exported domain type/,
    );
    expect(() =>
      describeSuccessBody(ok(), 'Files.download', { 'text/csv': 'ThingView' }, types),
    ).toThrow(/text\/csv is sent as `text` or `binary`/);
  });

  it('refuses, when deriving, a declared name @harbour/domain does not export', () => {
    expect(() => describeResponseTypes(['NoSuchView'])).toThrow(
      /@ResponseBody names NoSuchView, which @harbour\/domain does not export/,
    );
  }, 30_000);
});

describe('describeValidatedClasses', () => {
  it('describes null as allowed when a @ValidateIf skips the rules for null', () => {
    class Patch {
      @ValidateIf((_, v) => v !== null) @IsOptional() @IsString() @MaxLength(5) name?:
        string | null;
    }
    expect(() => describeValidatedClasses([Patch])).not.toThrow();
    expect(Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES, Patch.prototype, 'name')).toEqual(
      expect.objectContaining({ type: 'string', maxLength: 5, nullable: true, required: false }),
    );
  });

  it('refuses a rule it cannot describe, so the document never understates the validation', () => {
    class Unknown {
      @IsDateString() on!: string;
    }
    expect(() => describeValidatedClasses([Unknown])).toThrow(/Unknown\.on uses @isDateString/);
  });
});
