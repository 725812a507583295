import {
  AGE_BANDS,
  GENDER_IDENTITIES,
  LANGUAGE_GROUPS,
  MAX_REVEAL_DETAIL_LENGTH,
  MERGE_SIDES,
  REGIONS_OF_ORIGIN,
  REVEAL_PURPOSES,
  SLK_SEXES,
  type AgeBand,
  type CreatePersonRequest,
  type ErasePersonRequest,
  type GenderIdentity,
  type LanguageGroup,
  type LookupRequest,
  type MergePersonsRequest,
  type MergeSide,
  type RegionOfOrigin,
  type RevealPurpose,
  type RevealRequest,
  type SlkSex,
  type UpdatePersonRequest,
} from '@harbour/domain';
import { IsBoolean, IsIn, IsOptional, IsUUID } from 'class-validator';
import { IsIdentityText, IsPhoneField, NewPersonDto } from '../../../core/records/records.dto';
import {
  IsCalendarDate,
  IsNested,
  IsOptionalOrNull,
  IsRecordVersion,
  IsText,
} from '../../../infra/http/validation-rules';

/** Identity changes: a field set to null is removed. */
export class PersonIdentityPatchDto {
  @IsOptionalOrNull()
  @IsIdentityText()
  givenName?: string | null;
  @IsOptionalOrNull()
  @IsIdentityText()
  familyName?: string | null;
  @IsOptionalOrNull()
  @IsIdentityText()
  alias?: string | null;
  @IsOptionalOrNull()
  @IsCalendarDate()
  dateOfBirth?: string | null;
  @IsOptionalOrNull() @IsIn(SLK_SEXES) sex?: SlkSex | null;
  @IsOptionalOrNull()
  @IsPhoneField()
  phone?: string | null;
}

export class CreatePersonDto extends NewPersonDto implements CreatePersonRequest {
  @IsOptional() @IsBoolean() consentToReporting?: boolean;
  @IsOptional() @IsBoolean() checkDuplicates?: boolean;
}

/** For each identity field, which record's value the merged person keeps. */
export class MergeIdentityChoiceDto {
  @IsOptional() @IsIn(MERGE_SIDES) givenName?: MergeSide;
  @IsOptional() @IsIn(MERGE_SIDES) familyName?: MergeSide;
  @IsOptional() @IsIn(MERGE_SIDES) alias?: MergeSide;
  @IsOptional() @IsIn(MERGE_SIDES) dateOfBirth?: MergeSide;
  @IsOptional() @IsIn(MERGE_SIDES) sex?: MergeSide;
  @IsOptional() @IsIn(MERGE_SIDES) phone?: MergeSide;
}

/** For each category, which record's value the merged person keeps. */
export class MergeCategoryChoiceDto {
  @IsOptional() @IsIn(MERGE_SIDES) ageBand?: MergeSide;
  @IsOptional() @IsIn(MERGE_SIDES) regionOfOrigin?: MergeSide;
  @IsOptional() @IsIn(MERGE_SIDES) languageGroup?: MergeSide;
  @IsOptional() @IsIn(MERGE_SIDES) genderIdentity?: MergeSide;
  @IsOptional() @IsIn(MERGE_SIDES) consentToReporting?: MergeSide;
}

export class MergePersonsDto implements MergePersonsRequest {
  @IsUUID() absorbedId!: string;
  @IsRecordVersion() survivorVersion!: number;
  @IsRecordVersion() absorbedVersion!: number;
  @IsOptional() @IsNested(() => MergeIdentityChoiceDto) identity?: MergeIdentityChoiceDto;
  @IsOptional() @IsNested(() => MergeCategoryChoiceDto) categories?: MergeCategoryChoiceDto;
}

export class UpdatePersonDto implements UpdatePersonRequest {
  @IsRecordVersion() version!: number;
  @IsOptional() @IsNested(() => PersonIdentityPatchDto) identity?: PersonIdentityPatchDto;
  @IsOptional() @IsIn(AGE_BANDS) ageBand?: AgeBand;
  @IsOptional() @IsIn(REGIONS_OF_ORIGIN) regionOfOrigin?: RegionOfOrigin;
  @IsOptionalOrNull()
  @IsIn(LANGUAGE_GROUPS)
  languageGroup?: LanguageGroup | null;
  @IsOptionalOrNull()
  @IsIn(GENDER_IDENTITIES)
  genderIdentity?: GenderIdentity | null;
  @IsOptional() @IsBoolean() consentToReporting?: boolean;
}

/** A purpose from the closed list (never free text in the access log), and optional words. */
export class RevealDto implements RevealRequest {
  @IsIn(REVEAL_PURPOSES) purpose!: RevealPurpose;
  @IsOptional() @IsText(MAX_REVEAL_DETAIL_LENGTH) detail?: string;
}

export class LookupDto implements LookupRequest {
  @IsOptional() @IsIdentityText() name?: string;
  @IsOptional() @IsIdentityText() alias?: string;
  @IsOptional() @IsCalendarDate() dateOfBirth?: string;
  @IsOptional() @IsIn(SLK_SEXES) sex?: SlkSex;
  @IsOptional() @IsPhoneField() phone?: string;
  @IsOptional() @IsText(40) code?: string;
}

export class ErasePersonDto implements ErasePersonRequest {
  @IsRecordVersion() version!: number;
}
