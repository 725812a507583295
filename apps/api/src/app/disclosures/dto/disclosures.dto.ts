import {
  DISCLOSURE_AUTHORITIES,
  DISCLOSURE_RECORD_FIELDS,
  IDENTITY_FIELDS,
  type CreateDisclosureRequest,
  type DisclosureAuthority,
  type DisclosureField,
  type DisclosureStepRequest,
  type RefuseDisclosureRequest,
} from '@harbour/domain';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';
import {
  composeRules,
  IsCalendarDate,
  IsRecordVersion,
  IsSubsetOf,
  IsText,
} from '../../../infra/http/validation-rules';

/** The fields a request may ask for: identity fields and record classes. */
export const DISCLOSURE_FIELDS: readonly DisclosureField[] = [
  ...IDENTITY_FIELDS,
  ...DISCLOSURE_RECORD_FIELDS,
];

/** At most this many people per request. */
export const MAX_DISCLOSURE_PEOPLE = 100;

const IsPersonCodes = (): PropertyDecorator =>
  composeRules(
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(MAX_DISCLOSURE_PEOPLE),
    IsString({ each: true }),
    MinLength(1, { each: true }),
    MaxLength(40, { each: true }),
  );

export class CreateDisclosureDto implements CreateDisclosureRequest {
  @IsIn(DISCLOSURE_AUTHORITIES) authority!: DisclosureAuthority;
  @IsText(500, 1) requester!: string;
  @IsText(500, 1) legalInstrument!: string;
  @IsOptional() @IsText(4000) legalAdvice?: string;
  @IsPersonCodes() personCodes!: string[];
  @IsSubsetOf(DISCLOSURE_FIELDS, 1) fields!: DisclosureField[];
  @IsCalendarDate() periodFrom!: string;
  @IsCalendarDate() periodTo!: string;
}

export class DisclosureStepDto implements DisclosureStepRequest {
  @IsRecordVersion() version!: number;
}

export class RefuseDisclosureDto implements RefuseDisclosureRequest {
  @IsRecordVersion() version!: number;
  @IsText(2000, 10) reason!: string;
}
