import {
  CIRCUMSTANCES,
  CONTACT_CHANNELS,
  CONTACT_KINDS,
  LANGUAGE_GROUPS,
  LOCATION_TYPES,
  MAX_GROUP_HEADCOUNT,
  NEED_CATEGORIES,
  NEED_PRIORITIES,
  NEED_STATUSES,
  MAX_AMENDMENT_REASON_LENGTH,
  MIN_AMENDMENT_REASON_LENGTH,
  type Circumstance,
  type AmendContactRequest,
  type ContactChannel,
  type ContactKind,
  type ContactQuery,
  type CreateContactRequest,
  type CreateNeedRequest,
  type LanguageGroup,
  type LocationType,
  type NeedCategory,
  type NeedPriority,
  type NeedQuery,
  type NeedStatus,
  type UpdateNeedRequest,
} from '@harbour/domain';
import { IsBoolean, IsIn, IsInt, IsOptional, IsUUID, Max, Min, ValidateIf } from 'class-validator';
import { IsNewNeeds, IsNotes, NewNeedDto } from '../../../core/records/records.dto';
import {
  IsCalendarDate,
  IsRecordVersion,
  IsSubsetOf,
  IsText,
  PageLimit,
} from '../../../infra/http/validation-rules';

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
  @IsOptional() @IsSubsetOf(CIRCUMSTANCES) circumstances?: Circumstance[];
  @IsOptional() @IsNotes() notes?: string;
  @IsOptional() @IsNewNeeds() needs?: NewNeedDto[];
}

export class ContactQueryDto implements ContactQuery {
  @IsOptional() @IsCalendarDate() from?: string;
  @IsOptional() @IsCalendarDate() to?: string;
  @IsOptional() @IsIn(CONTACT_CHANNELS) channel?: ContactChannel;
  @IsOptional() @IsIn(CIRCUMSTANCES) circumstance?: Circumstance;
  @IsOptional() @IsUUID() caseworker?: string;
  @IsOptional() @IsUUID() person?: string;
  @IsOptional() @IsText(200) cursor?: string;
  @IsOptional() @PageLimit() limit?: number;
}

export class CreateNeedDto implements CreateNeedRequest {
  @IsOptional() @IsUUID() personId?: string;
  @IsOptional() @IsUUID() contactId?: string;
  @IsIn(NEED_CATEGORIES) category!: NeedCategory;
  @IsOptional() @IsIn(NEED_PRIORITIES) priority?: NeedPriority;
}

export class UpdateNeedDto implements UpdateNeedRequest {
  @IsRecordVersion() version!: number;
  @IsOptional() @IsIn(NEED_STATUSES) status?: NeedStatus;
  @IsOptional() @IsIn(NEED_PRIORITIES) priority?: NeedPriority;
}

export class NeedQueryDto implements NeedQuery {
  @IsUUID() person!: string;
}

/** An amendment: a reason (trimmed, at least a few words) and the corrected notes (null: none). */
export class AmendContactDto implements AmendContactRequest {
  @IsText(MAX_AMENDMENT_REASON_LENGTH, MIN_AMENDMENT_REASON_LENGTH) reason!: string;
  @ValidateIf((_, value) => value !== null) @IsNotes() notes!: string | null;
}
