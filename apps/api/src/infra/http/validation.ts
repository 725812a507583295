import { ValidationPipe, type ValidationError } from '@nestjs/common';
import type { FieldError } from '@harbour/domain';
import { getMetadataStorage, type ValidatorOptions } from 'class-validator';
import { ValidationFailedError } from './domain-error';
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
    return [...errors, ...strictErrors(object, '', 0)];
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
  const refuse = (property: string, reason: string): void => {
    out.push({ property: `${prefix}${property}`, constraints: { [reason]: reason }, children: [] });
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
        refuse(property, 'int32');
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
      out.push({ path, reason: reason === 'whitelistValidation' ? 'unknown_property' : reason });
    }
    if (error.children && error.children.length > 0) out.push(...flatten(error.children, path));
  }
  return out;
}
