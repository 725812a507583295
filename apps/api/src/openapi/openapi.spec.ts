import { readFileSync } from 'node:fs';
import type { INestApplication } from '@nestjs/common';
import { DECORATORS, type OpenAPIObject } from '@nestjs/swagger';
import { IsDateString, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { ACCESS_MATRIX } from '../app/access-matrix';
import { listRoutes } from '../infra/auth/route-inventory';
import {
  OPENAPI_FILE,
  buildOpenApiDocument,
  createDocumentApp,
  serialiseOpenApiDocument,
} from './openapi-document';
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
