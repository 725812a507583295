import { applyDecorators } from '@nestjs/common';
import { normaliseValue, NORMALISATION_VERSION } from '@harbour/crypto';
import { parseIsoDate } from '@harbour/domain';
import { Transform } from 'class-transformer';
import { IsInt, Max, Min, ValidateBy } from 'class-validator';

/**
 * Shared validation rules for classes of input (docs/security.md T20): each closes one way a value
 * could pass validation and then fail in the service or the database with a 500.
 */

/** The largest PostgreSQL `integer`: an integer field with no declared maximum is bounded by it. */
export const INT32_MAX = 2_147_483_647;

/**
 * A real calendar day `YYYY-MM-DD` (1900 onwards): `2024-02-30` or `0000-01-01` match the
 * pattern but are not days, and PostgreSQL refuses them. The rule is named `isDate`, the reason
 * the services give for the same check.
 */
export const IsCalendarDate = (): PropertyDecorator =>
  ValidateBy({
    name: 'isDate',
    validator: {
      validate: (value: unknown): boolean =>
        typeof value === 'string' && parseIsoDate(value) !== null,
      defaultMessage: () => 'must be a calendar date (YYYY-MM-DD)',
    },
  });

/**
 * A phone number: empty (none) or something with digits left after normalisation, so the blind
 * index has a value to compute (`NaN` and `Infinity` are not phone numbers).
 */
export const IsPhoneNumber = (): PropertyDecorator =>
  ValidateBy({
    name: 'isPhoneNumber',
    validator: {
      validate: (value: unknown): boolean =>
        typeof value === 'string' &&
        (value.trim() === '' || normaliseValue(value, NORMALISATION_VERSION, 'phone') !== ''),
      defaultMessage: () => 'must be a phone number',
    },
  });

/** Only plain decimal integers become numbers; anything else stays a string and fails `IsInt`. */
const DECIMAL_INTEGER = /^-?\d{1,16}$/;

/**
 * An integer query parameter between `min` and `max` (at most 2^53 − 1): `2^64`, `1e309`, `0x10`
 * or `NaN` are refused with the parameter named, never converted into something the database
 * cannot hold.
 */
export const QueryInt = (min: number, max: number = Number.MAX_SAFE_INTEGER): PropertyDecorator =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' && DECIMAL_INTEGER.test(value) ? Number(value) : value,
    ),
    IsInt(),
    Min(min),
    Max(Math.min(max, Number.MAX_SAFE_INTEGER)),
  );
