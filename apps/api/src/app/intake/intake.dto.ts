import {
  AGE_BANDS,
  CIRCUMSTANCES,
  CONTACT_CHANNELS,
  GENDER_IDENTITIES,
  LANGUAGE_GROUPS,
  LOCATION_TYPES,
  MAX_INTAKE_PEOPLE,
  MAX_NEEDS_PER_CONTACT,
  MAX_NOTES_LENGTH,
  REGIONS_OF_ORIGIN,
  type AgeBand,
  type BulkIntakeRequest,
  type Circumstance,
  type ContactChannel,
  type GenderIdentity,
  type IntakePerson,
  type LanguageGroup,
  type LocationType,
  type RegionOfOrigin,
} from '@harbour/domain';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { NewNeedDto, PersonIdentityDto } from '../../core/records/records.dto';
import { IsCalendarDate } from '../../infra/http/validation-rules';

export class IntakeEventDto {
  @IsCalendarDate() occurredOn!: string;
  @IsIn(CONTACT_CHANNELS) channel!: ContactChannel;
  @IsIn(LOCATION_TYPES) locationType!: LocationType;
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(CIRCUMSTANCES.length)
  @IsIn(CIRCUMSTANCES, { each: true })
  circumstances?: Circumstance[];
  @IsOptional() @IsBoolean() interpreterUsed?: boolean;
  @IsOptional() @IsBoolean() peerLed?: boolean;
}

export class IntakePersonDto implements IntakePerson {
  @IsOptional() @ValidateNested() @Type(() => PersonIdentityDto) identity?: PersonIdentityDto;
  @IsOptional() @IsIn(AGE_BANDS) ageBand?: AgeBand;
  @IsOptional() @IsIn(REGIONS_OF_ORIGIN) regionOfOrigin?: RegionOfOrigin;
  @IsOptional() @IsIn(LANGUAGE_GROUPS) languageGroup?: LanguageGroup;
  @IsOptional() @IsIn(GENDER_IDENTITIES) genderIdentity?: GenderIdentity;
  @IsOptional() @IsString() @MaxLength(MAX_NOTES_LENGTH) notes?: string;
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_NEEDS_PER_CONTACT)
  @ValidateNested({ each: true })
  @Type(() => NewNeedDto)
  needs?: NewNeedDto[];
}

export class BulkIntakeDto implements BulkIntakeRequest {
  @ValidateNested() @Type(() => IntakeEventDto) event!: IntakeEventDto;
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_INTAKE_PEOPLE)
  @ValidateNested({ each: true })
  @Type(() => IntakePersonDto)
  people!: IntakePersonDto[];
}
