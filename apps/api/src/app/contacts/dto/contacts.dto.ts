import {
  CIRCUMSTANCES,
  CONTACT_CHANNELS,
  CONTACT_KINDS,
  LANGUAGE_GROUPS,
  LOCATION_TYPES,
  MAX_GROUP_HEADCOUNT,
  MAX_NEEDS_PER_CONTACT,
  MAX_NOTES_LENGTH,
  NEED_CATEGORIES,
  NEED_PRIORITIES,
  NEED_STATUSES,
  type Circumstance,
  type ContactChannel,
  type ContactKind,
  type ContactQuery,
  type CreateContactRequest,
  type CreateNeedRequest,
  type LanguageGroup,
  type LocationType,
  type NeedCategory,
  type NeedPriority,
  type NeedStatus,
  type UpdateNeedRequest,
} from '@harbour/domain';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { NewNeedDto } from '../../../core/records/records.dto';
import { IsCalendarDate, QueryInt } from '../../../infra/http/validation-rules';

export class CreateContactDto implements CreateContactRequest {
  @IsOptional() @IsIn(CONTACT_KINDS) kind?: ContactKind;
  @IsOptional() @IsUUID() personId?: string;
  @IsOptional() @IsInt() @Min(1) @Max(MAX_GROUP_HEADCOUNT) headcount?: number;
  @IsCalendarDate() occurredOn!: string;
  @IsIn(CONTACT_CHANNELS) channel!: ContactChannel;
  @IsIn(LOCATION_TYPES) locationType!: LocationType;
  @IsOptional() @IsIn(LANGUAGE_GROUPS) languageGroup?: LanguageGroup;
  @IsOptional() @IsBoolean() interpreterUsed?: boolean;
  @IsOptional() @IsBoolean() peerLed?: boolean;
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(CIRCUMSTANCES.length)
  @IsIn(CIRCUMSTANCES, { each: true })
  circumstances?: Circumstance[];
  @IsOptional() @IsString() @MaxLength(MAX_NOTES_LENGTH) notes?: string;
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_NEEDS_PER_CONTACT)
  @ValidateNested({ each: true })
  @Type(() => NewNeedDto)
  needs?: NewNeedDto[];
}

export class ContactQueryDto implements ContactQuery {
  @IsOptional() @IsCalendarDate() from?: string;
  @IsOptional() @IsCalendarDate() to?: string;
  @IsOptional() @IsIn(CONTACT_CHANNELS) channel?: ContactChannel;
  @IsOptional() @IsIn(CIRCUMSTANCES) circumstance?: Circumstance;
  @IsOptional() @IsUUID() caseworker?: string;
  @IsOptional() @IsUUID() person?: string;
  @IsOptional() @IsString() @MaxLength(200) cursor?: string;
  @IsOptional() @QueryInt(1, 200) limit?: number;
}

export class CreateNeedDto implements CreateNeedRequest {
  @IsOptional() @IsUUID() personId?: string;
  @IsOptional() @IsUUID() contactId?: string;
  @IsIn(NEED_CATEGORIES) category!: NeedCategory;
  @IsOptional() @IsIn(NEED_PRIORITIES) priority?: NeedPriority;
}

export class UpdateNeedDto implements UpdateNeedRequest {
  @IsInt() @Min(1) version!: number;
  @IsOptional() @IsIn(NEED_STATUSES) status?: NeedStatus;
  @IsOptional() @IsIn(NEED_PRIORITIES) priority?: NeedPriority;
}
