import {
  AGE_BANDS,
  GENDER_IDENTITIES,
  LANGUAGE_GROUPS,
  MAX_CANARY_CONTACTS,
  REGIONS_OF_ORIGIN,
  type AgeBand,
  type GenderIdentity,
  type LanguageGroup,
  type PlantCanaryRequest,
  type RegionOfOrigin,
} from '@harbour/domain';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min, ValidateNested } from 'class-validator';
import { PersonIdentityDto } from '../../../core/records/records.dto';

export class PlantCanaryDto implements PlantCanaryRequest {
  @IsOptional() @ValidateNested() @Type(() => PersonIdentityDto) identity?: PersonIdentityDto;
  @IsOptional() @IsIn(AGE_BANDS) ageBand?: AgeBand;
  @IsOptional() @IsIn(REGIONS_OF_ORIGIN) regionOfOrigin?: RegionOfOrigin;
  @IsOptional() @IsIn(LANGUAGE_GROUPS) languageGroup?: LanguageGroup;
  @IsOptional() @IsIn(GENDER_IDENTITIES) genderIdentity?: GenderIdentity;
  @IsOptional() @IsUUID() caseworkerId?: string;
  @IsOptional() @IsInt() @Min(0) @Max(MAX_CANARY_CONTACTS) contacts?: number;
}
