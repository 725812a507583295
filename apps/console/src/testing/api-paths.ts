import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The field paths of the API's request bodies, from the committed OpenAPI document (which is
 * generated from the DTOs' own validation metadata): `people.0.identity.dateOfBirth` for a
 * field inside a list of objects (index 0 standing for every row), `circumstances` for a list
 * of values.
 */
interface Schema {
  readonly $ref?: string;
  readonly type?: string;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly items?: Schema;
  readonly oneOf?: readonly Schema[];
  readonly anyOf?: readonly Schema[];
  readonly allOf?: readonly Schema[];
}

const document = JSON.parse(readFileSync(join(__dirname, '../../../api/openapi.json'), 'utf8')) as {
  components: { schemas: Record<string, Schema> };
};

function resolve(schema: Schema): Schema {
  if (schema.$ref !== undefined) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const found = document.components.schemas[name];
    if (found === undefined) throw new Error(`no schema ${name}`);
    return resolve(found);
  }
  const [variant] = [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])]
    .map(resolve)
    .filter((s) => s.properties !== undefined || s.items !== undefined);
  return variant ?? schema;
}

function walk(schema: Schema, prefix: string, depth: number): string[] {
  const resolved = resolve(schema);
  if (depth > 8) return [prefix];
  if (resolved.properties !== undefined) {
    return Object.entries(resolved.properties).flatMap(([name, property]) =>
      walk(property, prefix === '' ? name : `${prefix}.${name}`, depth + 1),
    );
  }
  if (resolved.items !== undefined) {
    const item = resolve(resolved.items);
    if (item.properties !== undefined) return walk(item, `${prefix}.0`, depth + 1);
  }
  return [prefix];
}

/** Every leaf field path of the request body schema `name` (e.g. `CreateContactDto`). */
export function requestPaths(name: string): string[] {
  const schema = document.components.schemas[name];
  if (schema === undefined) throw new Error(`no schema ${name} in the OpenAPI document`);
  return walk(schema, '', 0);
}

/**
 * The API paths of `schemas` that no control of `form` shows and that `notEditable` does not
 * list (with why): what a form-to-API check expects to be empty.
 */
export function unmappedPaths(
  schemas: readonly string[],
  hasControl: (path: string) => boolean,
  notEditable: Readonly<Record<string, string>>,
): string[] {
  return [...new Set(schemas.flatMap(requestPaths))].filter(
    (path) => !hasControl(path) && notEditable[path] === undefined,
  );
}
