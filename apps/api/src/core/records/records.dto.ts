import {
  MAX_IDENTITY_TEXT_LENGTH,
  NEED_CATEGORIES,
  NEED_PRIORITIES,
  SLK_SEXES,
  type NeedCategory,
  type NeedPriority,
  type NewNeed,
  type PersonIdentityInput,
  type SlkSex,
} from '@harbour/domain';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsCalendarDate, IsPhoneNumber } from '../../infra/http/validation-rules';

/** The parts of a request body that record a person or a need, shared by every feature. */
export class PersonIdentityDto implements PersonIdentityInput {
  @IsOptional() @IsString() @MaxLength(MAX_IDENTITY_TEXT_LENGTH) givenName?: string;
  @IsOptional() @IsString() @MaxLength(MAX_IDENTITY_TEXT_LENGTH) familyName?: string;
  @IsOptional() @IsString() @MaxLength(MAX_IDENTITY_TEXT_LENGTH) alias?: string;
  @IsOptional() @IsCalendarDate() dateOfBirth?: string;
  @IsOptional() @IsIn(SLK_SEXES) sex?: SlkSex;
  @IsOptional() @IsString() @MaxLength(40) @IsPhoneNumber() phone?: string;
}

export class NewNeedDto implements NewNeed {
  @IsIn(NEED_CATEGORIES) category!: NeedCategory;
  @IsOptional() @IsIn(NEED_PRIORITIES) priority?: NeedPriority;
}
