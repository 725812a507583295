import {
  AGE_BANDS,
  GENDER_IDENTITIES,
  LANGUAGE_GROUPS,
  MAX_IDENTITY_TEXT_LENGTH,
  MAX_REVEAL_DETAIL_LENGTH,
  REGIONS_OF_ORIGIN,
  REVEAL_PURPOSES,
  SLK_SEXES,
  type AgeBand,
  type CreatePersonRequest,
  type ErasePersonRequest,
  type GenderIdentity,
  type LanguageGroup,
  type LookupRequest,
  type RegionOfOrigin,
  type RevealPurpose,
  type RevealRequest,
  type SlkSex,
  type UpdatePersonRequest,
} from '@harbour/domain';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PersonIdentityDto } from '../../../core/records/records.dto';
import { IsCalendarDate, IsPhoneNumber } from '../../../infra/http/validation-rules';

/** Identity changes: a field set to null is removed. */
export class PersonIdentityPatchDto {
  @ValidateIf((_, v) => v !== null)
  @IsOptional()
  @IsString()
  @MaxLength(MAX_IDENTITY_TEXT_LENGTH)
  givenName?: string | null;
  @ValidateIf((_, v) => v !== null)
  @IsOptional()
  @IsString()
  @MaxLength(MAX_IDENTITY_TEXT_LENGTH)
  familyName?: string | null;
  @ValidateIf((_, v) => v !== null)
  @IsOptional()
  @IsString()
  @MaxLength(MAX_IDENTITY_TEXT_LENGTH)
  alias?: string | null;
  @ValidateIf((_, v) => v !== null)
  @IsOptional()
  @IsCalendarDate()
  dateOfBirth?: string | null;
  @ValidateIf((_, v) => v !== null) @IsOptional() @IsIn(SLK_SEXES) sex?: SlkSex | null;
  @ValidateIf((_, v) => v !== null)
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @IsPhoneNumber()
  phone?: string | null;
}

export class CreatePersonDto implements CreatePersonRequest {
  @IsOptional() @ValidateNested() @Type(() => PersonIdentityDto) identity?: PersonIdentityDto;
  @IsOptional() @IsIn(AGE_BANDS) ageBand?: AgeBand;
  @IsOptional() @IsIn(REGIONS_OF_ORIGIN) regionOfOrigin?: RegionOfOrigin;
  @IsOptional() @IsIn(LANGUAGE_GROUPS) languageGroup?: LanguageGroup;
  @IsOptional() @IsIn(GENDER_IDENTITIES) genderIdentity?: GenderIdentity;
  @IsOptional() @IsBoolean() consentToReporting?: boolean;
}

export class UpdatePersonDto implements UpdatePersonRequest {
  @IsInt() @Min(1) version!: number;
  @IsOptional()
  @ValidateNested()
  @Type(() => PersonIdentityPatchDto)
  identity?: PersonIdentityPatchDto;
  @IsOptional() @IsIn(AGE_BANDS) ageBand?: AgeBand;
  @IsOptional() @IsIn(REGIONS_OF_ORIGIN) regionOfOrigin?: RegionOfOrigin;
  @ValidateIf((_, v) => v !== null)
  @IsOptional()
  @IsIn(LANGUAGE_GROUPS)
  languageGroup?: LanguageGroup | null;
  @ValidateIf((_, v) => v !== null)
  @IsOptional()
  @IsIn(GENDER_IDENTITIES)
  genderIdentity?: GenderIdentity | null;
  @IsOptional() @IsBoolean() consentToReporting?: boolean;
}

/** A purpose from the closed list (never free text in the access log), and optional words. */
export class RevealDto implements RevealRequest {
  @IsIn(REVEAL_PURPOSES) purpose!: RevealPurpose;
  @IsOptional() @IsString() @MaxLength(MAX_REVEAL_DETAIL_LENGTH) detail?: string;
}

export class LookupDto implements LookupRequest {
  @IsOptional() @IsString() @MaxLength(MAX_IDENTITY_TEXT_LENGTH) name?: string;
  @IsOptional() @IsString() @MaxLength(MAX_IDENTITY_TEXT_LENGTH) alias?: string;
  @IsOptional() @IsCalendarDate() dateOfBirth?: string;
  @IsOptional() @IsIn(SLK_SEXES) sex?: SlkSex;
  @IsOptional() @IsString() @MaxLength(40) @IsPhoneNumber() phone?: string;
  @IsOptional() @IsString() @MaxLength(40) code?: string;
}

export class ErasePersonDto implements ErasePersonRequest {
  @IsInt() @Min(1) version!: number;
}
