import type { Type } from '@nestjs/common';
import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, type MetadataStorage } from 'class-validator';
import { INT32_MAX } from '../infra/http/validation-rules';

type ValidationMetadata = ReturnType<MetadataStorage['getTargetValidationMetadatas']>[number];
type ValidateIfCondition = (object: object, value: unknown) => boolean;

/** JSON Schema keywords a class-validator rule can set on a value (or, with `each`, on items). */
interface ValueSchema {
  type?: 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  pattern?: string;
  enum?: readonly unknown[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  description?: string;
}

interface PropertySchema {
  readonly own: ValueSchema;
  readonly items: ValueSchema;
  required: boolean;
  nullable: boolean;
  isArray: boolean;
  nested: boolean;
  minItems?: number;
  maxItems?: number;
}

/**
 * Describes DTO classes to `@nestjs/swagger` from their class-validator rules, so the DTOs carry
 * one set of decorators and the document states exactly what the validation pipe enforces. (The
 * swagger CLI plugin does this as a TypeScript transformer, which SWC, our test compiler, does
 * not run.) A rule this file does not know fails loudly: teach it here rather than let the
 * document drift from the validation. Returns every class described, nested ones included.
 */
export function describeValidatedClasses(roots: readonly Type[]): ReadonlySet<Type> {
  const done = new Set<Type>();
  const pending = [...roots];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (done.has(next)) continue;
    done.add(next);
    const rules = new Map<string, ValidationMetadata[]>();
    for (const rule of getMetadataStorage().getTargetValidationMetadatas(next, '', true, false)) {
      rules.set(rule.propertyName, [...(rules.get(rule.propertyName) ?? []), rule]);
    }
    for (const [property, propertyRules] of rules) {
      const schema = readRules(next, property, propertyRules);
      const nested = schema.nested ? nestedClass(next, property, schema.isArray) : undefined;
      if (nested !== undefined) pending.push(nested);
      ApiProperty(toApiProperty(schema, nested))(next.prototype as object, property);
    }
  }
  return done;
}

/** Whether class-validator knows rules for this class (a DTO, not `Request` or a principal). */
export function hasValidationRules(type: unknown): type is Type {
  return (
    typeof type === 'function' &&
    getMetadataStorage().getTargetValidationMetadatas(type, '', true, false).length > 0
  );
}

function readRules(
  owner: Type,
  property: string,
  rules: readonly ValidationMetadata[],
): PropertySchema {
  const schema: PropertySchema = {
    own: {},
    items: {},
    required: true,
    nullable: false,
    isArray: false,
    nested: false,
  };
  const where = `${owner.name}.${property}`;
  for (const rule of rules) {
    const target = rule.each === true ? schema.items : schema.own;
    const first = (rule.constraints as unknown[] | undefined)?.[0];
    if (rule.type === 'conditionalValidation') {
      if (rule.name === 'isOptional') {
        schema.required = false;
      } else if (
        typeof first === 'function' &&
        (first as ValidateIfCondition)({}, null) === false
      ) {
        // `@ValidateIf((_, v) => v !== null)`: null skips every rule, i.e. the value may be null.
        schema.nullable = true;
      } else {
        throw new Error(`openapi: ${where} has a @ValidateIf this document cannot describe`);
      }
      continue;
    }
    if (rule.type === 'nestedValidation') {
      schema.nested = true;
      schema.isArray ||= rule.each === true;
      continue;
    }
    if (rule.type !== 'customValidation') {
      throw new Error(`openapi: ${where} uses the unsupported rule type ${rule.type}`);
    }
    switch (rule.name) {
      case 'isString':
        target.type = 'string';
        break;
      case 'isBoolean':
        target.type = 'boolean';
        break;
      case 'isInt':
        target.type = 'integer';
        break;
      case 'isNumber':
        target.type = 'number';
        break;
      case 'isEmail':
        Object.assign(target, { type: 'string', format: 'email' });
        break;
      case 'isUuid':
        Object.assign(target, { type: 'string', format: 'uuid' });
        break;
      case 'isDate':
        Object.assign(target, { type: 'string', format: 'date' });
        break;
      case 'isPhoneNumber':
        target.type ??= 'string';
        target.description = 'A phone number: digits remain after removing spaces and punctuation.';
        break;
      case 'isIso8601':
        Object.assign(target, {
          type: 'string',
          format: 'date-time',
          description: 'An ISO 8601 date-time (a calendar date alone is also accepted).',
        });
        break;
      case 'matches':
        target.type ??= 'string';
        target.pattern = first instanceof RegExp ? first.source : String(first);
        break;
      case 'isIn': {
        const values = first as readonly unknown[];
        target.enum = values;
        target.type ??= values.every((v) => typeof v === 'string') ? 'string' : 'number';
        break;
      }
      case 'minLength':
        target.minLength = first as number;
        break;
      case 'maxLength':
        target.maxLength = first as number;
        break;
      case 'min':
        target.minimum = first as number;
        break;
      case 'max':
        target.maximum = first as number;
        break;
      case 'isArray':
        schema.isArray = true;
        break;
      case 'arrayMinSize':
        schema.minItems = first as number;
        break;
      case 'arrayMaxSize':
        schema.maxItems = first as number;
        break;
      case 'isObject':
        // A required nested object: `nestedValidation` describes it (a $ref), and `required`
        // stays true; the rule only refuses a missing or non-object value.
        break;
      default:
        throw new Error(
          `openapi: ${where} uses @${rule.name ?? 'unnamed'}, which validation-schemas.ts does not describe yet`,
        );
    }
  }
  const value = schema.isArray ? schema.items : schema.own;
  // The validation pipe bounds an integer without a declared maximum to a PostgreSQL integer.
  if (value.type === 'integer') {
    value.maximum ??= INT32_MAX;
    value.minimum ??= -INT32_MAX;
  }
  if (!schema.nested && value.type === undefined) {
    throw new Error(`openapi: ${where} has no rule that fixes its type`);
  }
  return schema;
}

/** The class `@Type(() => …)` names for a nested property, asked from class-transformer itself. */
function nestedClass(owner: Type, property: string, isArray: boolean): Type {
  const probe = plainToInstance(owner, { [property]: isArray ? [{}] : {} }) as Record<
    string,
    unknown
  >;
  const value = isArray ? (probe[property] as unknown[])[0] : probe[property];
  const type = (value as object | undefined)?.constructor;
  if (type === undefined || type === Object) {
    throw new Error(`openapi: ${owner.name}.${property} is @ValidateNested without @Type`);
  }
  return type as Type;
}

function toApiProperty(schema: PropertySchema, nested: Type | undefined): ApiPropertyOptions {
  const common = {
    required: schema.required,
    ...(schema.nullable ? { nullable: true } : {}),
  };
  if (!schema.isArray) {
    if (nested !== undefined) return { ...common, type: () => nested };
    // OpenAPI 3.0: `nullable` does not widen an `enum`; null must be listed to be allowed.
    const own =
      schema.nullable && schema.own.enum !== undefined
        ? { ...schema.own, enum: [...schema.own.enum, null] }
        : schema.own;
    return { ...common, ...own };
  }
  const items = nested !== undefined ? { type: () => nested } : { items: schema.items };
  return {
    ...common,
    ...(nested !== undefined ? { ...items, isArray: true } : { type: 'array', ...items }),
    ...(schema.minItems !== undefined ? { minItems: schema.minItems } : {}),
    ...(schema.maxItems !== undefined ? { maxItems: schema.maxItems } : {}),
  } as ApiPropertyOptions;
}
