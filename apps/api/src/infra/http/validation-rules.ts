import { applyDecorators } from '@nestjs/common';
import { normaliseValue, NORMALISATION_VERSION } from '@harbour/crypto';
import { parseIsoDate } from '@harbour/domain';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

/**
 * Shared validation rules for classes of input (docs/security.md T20): each closes one way a value
 * could pass validation and then fail in the service or the database with a 500.
 */

/** The largest PostgreSQL `integer`: an integer field with no declared maximum is bounded by it. */
export const INT32_MAX = 2_147_483_647;

/** The longest name or display name (the `*_name_length` checks of the database say the same). */
export const MAX_NAME_LENGTH = 200;

/** The most rows one page of a list returns. */
export const MAX_PAGE_LIMIT = 200;

/**
 * Several rules as one, applied as if written one above the other in this order (TypeScript
 * applies the lowest decorator first). The order is kept because it is the order of the failed
 * rules in a 400 and of the keys in the OpenAPI document.
 */
export const composeRules = (...decorators: PropertyDecorator[]): PropertyDecorator =>
  applyDecorators(...decorators.reverse());

/** A string of at most `maxLength` characters (and at least `minLength`, when given). */
export const IsText = (maxLength: number, minLength?: number): PropertyDecorator =>
  composeRules(
    IsString(),
    ...(minLength === undefined ? [] : [MinLength(minLength)]),
    MaxLength(maxLength),
  );

/** A name or display name: 1 to 200 characters. */
export const IsName = (): PropertyDecorator => IsText(MAX_NAME_LENGTH, 1);

/**
 * A password given to be checked. Never truncated; 1024 bounds the hashing cost of absurd
 * inputs (the policy for new passwords caps at 256).
 */
export const IsPassword = (): PropertyDecorator => IsText(1024, 1);

/** An e-mail address as accounts hold them: no display name, at most 254 characters. */
export const IsEmailAddress = (): PropertyDecorator =>
  composeRules(IsEmail({ allow_display_name: false, require_tld: false }), MaxLength(254));

/**
 * The `version` of an editable record as the client last read it (docs/design.md §11): a stale
 * one gets 409 `version_conflict`.
 */
export const IsRecordVersion = (): PropertyDecorator => composeRules(IsInt(), Min(1));

/**
 * A list of values from a closed list, each at most once in effect (so never longer than the
 * list), with at least `minSize` values when given.
 */
export const IsSubsetOf = (values: readonly unknown[], minSize?: number): PropertyDecorator =>
  composeRules(
    IsArray(),
    ...(minSize === undefined ? [] : [ArrayMinSize(minSize)]),
    ArrayMaxSize(values.length),
    IsIn(values, { each: true }),
  );

/**
 * A nested object (or, with `each`, a list of them) validated as `type`. A single one must be an
 * object: `ValidateNested` alone lets an array through (it validates the items, none in `[]`).
 */
export const IsNested = (type: () => new () => object, each = false): PropertyDecorator =>
  composeRules(
    ...(each ? [ValidateNested({ each: true })] : [IsObject(), ValidateNested()]),
    Type(type),
  );

/**
 * An optional field that may also be `null` (to remove a value): null skips the field's other
 * rules, and the validation pipe lets it through (`notNull` is for optional fields only).
 */
export const IsOptionalOrNull = (): PropertyDecorator =>
  composeRules(
    ValidateIf((_, value) => value !== null),
    IsOptional(),
  );

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

/** A page size query parameter: 1 to `MAX_PAGE_LIMIT` rows. */
export const PageLimit = (): PropertyDecorator => QueryInt(1, MAX_PAGE_LIMIT);

/** A boolean query parameter: `true` or `false`; anything else stays a string and fails. */
export const QueryBoolean = (): PropertyDecorator =>
  composeRules(
    Transform(({ value }: { value: unknown }) =>
      value === 'true' ? true : value === 'false' ? false : value,
    ),
    IsBoolean(),
  );
