import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { EARLIEST_CALENDAR_DAY, type FieldError, type FieldLimits } from '@harbour/domain';
import { getMetadataStorage, type ValidatorOptions } from 'class-validator';
import { ValidationFailedError } from './domain-error';
import { memoiseValidationMetadata } from './validation-metadata-cache';
import { INT32_MAX } from './validation-rules';

type RuleMetadata = ReturnType<
  ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']
>[number];

/**
 * The global validation pipe: unknown properties are rejected (not silently dropped), values are
 * never echoed back (only the field path and the failed rule), and payload classes are
 * instantiated so nested DTOs validate too. On top of class-validator's rules, three classes of
 * value that would pass them and then fail in the database are refused (docs/security.md T20):
 *
 * - `null` for an optional field that is not declared nullable (`@IsOptional()` alone lets
 *   `null` through, and it would reach a NOT NULL column): reason `notNull`;
 * - numbers that JSON can carry but no column can hold: not finite (`1e309`), or integers beyond
 *   2^53 − 1: reason `finiteNumber`;
 * - an `@IsInt()` field without a declared `@Max` is a PostgreSQL `integer`: beyond ±2^31 − 1 is
 *   reason `int32`.
 */
export function createValidationPipe(): ValidationPipe {
  memoiseValidationMetadata();
  return new HarbourValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    stopAtFirstError: false,
    exceptionFactory: (errors) => new ValidationFailedError(flatten(errors)),
  });
}

class HarbourValidationPipe extends ValidationPipe {
  protected override async validate(
    object: object,
    validatorOptions?: ValidatorOptions,
  ): Promise<ValidationError[]> {
    const errors = await super.validate(object, validatorOptions);
    annotateLimits(errors, object, 0);
    return [...errors, ...strictErrors(object, '', 0)];
  }
}

/** Where `flatten` finds the bounds of a failed rule (class-validator keeps no numbers itself). */
const LIMITS = 'harbourLimits';

/** The bounds a failed rule declares, from its decorator's own constraints. */
function limitsOf(name: string, constraints: readonly unknown[] | undefined): FieldLimits | null {
  const bound = constraints?.[0];
  if (name === 'isDate') return { earliest: EARLIEST_CALENDAR_DAY };
  if (typeof bound !== 'number') return null;
  switch (name) {
    case 'minLength':
    case 'arrayMinSize':
      return { minLength: bound };
    case 'maxLength':
    case 'arrayMaxSize':
      return { maxLength: bound };
    case 'min':
      return { min: bound };
    case 'max':
      return { max: bound };
    default:
      return null;
  }
}

/**
 * Puts on each failed rule the bounds its decorator declares (`@MaxLength(200)` → `maxLength:
 * 200`), walking the validated object beside the errors, so that a 400 can say what to do.
 */
function annotateLimits(errors: readonly ValidationError[], object: unknown, depth: number): void {
  if (object === null || typeof object !== 'object' || depth > 32) return;
  const type = (object as { constructor?: unknown }).constructor;
  const rules =
    typeof type === 'function' && type !== Object && type !== Array
      ? getMetadataStorage().getTargetValidationMetadatas(type, '', true, false)
      : [];
  for (const error of errors) {
    for (const reason of Object.keys(error.constraints ?? {})) {
      const rule = rules.find((r) => r.propertyName === error.property && r.name === reason);
      const limits = limitsOf(reason, rule?.constraints as unknown[] | undefined);
      if (limits !== null) {
        error.contexts = { ...error.contexts, [reason]: { [LIMITS]: limits } };
      }
    }
    if (error.children && error.children.length > 0) {
      const value = (object as Record<string, unknown>)[error.property];
      annotateLimits(error.children, value, depth + 1);
    }
  }
}

function strictErrors(object: unknown, prefix: string, depth: number): ValidationError[] {
  if (object === null || typeof object !== 'object' || depth > 32) return [];
  const type = (object as { constructor?: unknown }).constructor;
  if (typeof type !== 'function' || type === Object) return [];
  const rules = new Map<string, RuleMetadata[]>();
  for (const rule of getMetadataStorage().getTargetValidationMetadatas(type, '', true, false)) {
    rules.set(rule.propertyName, [...(rules.get(rule.propertyName) ?? []), rule]);
  }
  const out: ValidationError[] = [];
  const refuse = (property: string, reason: string, limits?: FieldLimits): void => {
    out.push({
      property: `${prefix}${property}`,
      constraints: { [reason]: reason },
      children: [],
      ...(limits === undefined ? {} : { contexts: { [reason]: { [LIMITS]: limits } } }),
    });
  };
  for (const [property, propertyRules] of rules) {
    const value = (object as Record<string, unknown>)[property];
    const has = (name: string): boolean => propertyRules.some((r) => r.name === name);
    const conditional = propertyRules.filter((r) => r.type === 'conditionalValidation');
    if (value === null) {
      const nullable = conditional.some((r) => r.name !== 'isOptional');
      if (conditional.length > 0 && !nullable) refuse(property, 'notNull');
      continue;
    }
    if (typeof value === 'number') {
      if (!Number.isFinite(value) || (Number.isInteger(value) && !Number.isSafeInteger(value))) {
        refuse(property, 'finiteNumber');
      } else if (has('isInt') && !has('max') && Math.abs(value) > INT32_MAX) {
        refuse(property, 'int32', { min: -INT32_MAX, max: INT32_MAX });
      }
      continue;
    }
    if (propertyRules.some((r) => r.type === 'nestedValidation')) {
      const items = Array.isArray(value) ? value : [value];
      items.forEach((item, index) => {
        const at = Array.isArray(value)
          ? `${prefix}${property}.${index}.`
          : `${prefix}${property}.`;
        out.push(...strictErrors(item, at, depth + 1));
      });
    }
  }
  return out;
}

export function flatten(errors: readonly ValidationError[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const path = prefix === '' ? error.property : `${prefix}.${error.property}`;
    for (const reason of Object.keys(error.constraints ?? {})) {
      const context = error.contexts?.[reason] as Record<string, unknown> | undefined;
      const limits = context?.[LIMITS] as FieldLimits | undefined;
      out.push({
        path,
        reason: reason === 'whitelistValidation' ? 'unknown_property' : reason,
        ...(limits === undefined ? {} : { limits }),
      });
    }
    if (error.children && error.children.length > 0) out.push(...flatten(error.children, path));
  }
  return out;
}
