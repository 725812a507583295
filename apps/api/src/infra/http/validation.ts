import { ValidationPipe, type ValidationError } from '@nestjs/common';
import type { FieldError } from '@harbour/domain';
import { ValidationFailedError } from './domain-error';

/**
 * The global validation pipe: unknown properties are rejected (not silently dropped), values are
 * never echoed back (only the field path and the failed rule), and payload classes are
 * instantiated so nested DTOs validate too.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
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
