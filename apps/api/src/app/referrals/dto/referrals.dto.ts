import {
  CONSENT_METHODS,
  CONSENT_SCOPES,
  LANGUAGE_GROUPS,
  MAX_OVERRIDE_REASON_LENGTH,
  PARTNER_SERVICE_TYPES,
  REFERRAL_STATUSES,
  type ConsentMethod,
  type ConsentScope,
  type CreateReferralRequest,
  type LanguageGroup,
  type PartnerInput,
  type PartnerQuery,
  type PartnerServiceType,
  type ReferralConsentInput,
  type ReferralQuery,
  type ReferralStatus,
  type ReferralTransitionRequest,
  type UpdatePartnerRequest,
} from '@harbour/domain';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';

export class CreateReferralDto implements CreateReferralRequest {
  @IsUUID() needId!: string;
  @IsUUID() partnerId!: string;
}

export class ReferralConsentDto implements ReferralConsentInput {
  @IsIn(CONSENT_METHODS) method!: ConsentMethod;
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(CONSENT_SCOPES.length)
  @IsIn(CONSENT_SCOPES, { each: true })
  scope!: ConsentScope[];
}

export class ReferralTransitionDto implements ReferralTransitionRequest {
  @IsInt() @Min(1) version!: number;
  @IsIn(REFERRAL_STATUSES) to!: ReferralStatus;
  @IsOptional() @ValidateNested() @Type(() => ReferralConsentDto) consent?: ReferralConsentDto;
  @IsOptional()
  @IsString()
  @MinLength(3)
  @MaxLength(MAX_OVERRIDE_REASON_LENGTH)
  overrideReason?: string;
}

export class ReferralQueryDto implements ReferralQuery {
  @IsOptional() @IsIn(REFERRAL_STATUSES) status?: ReferralStatus;
  @IsOptional() @IsUUID() partner?: string;
  @IsOptional() @IsUUID() person?: string;
}

const flag = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

export class PartnerQueryDto implements PartnerQuery {
  @IsOptional() @IsIn(PARTNER_SERVICE_TYPES) serviceType?: PartnerServiceType;
  @IsOptional() @IsIn(LANGUAGE_GROUPS) language?: LanguageGroup;
  @IsOptional() @Transform(flag) @IsBoolean() sexWorkerFriendly?: boolean;
  @IsOptional() @Transform(flag) @IsBoolean() noIdRequired?: boolean;
  @IsOptional() @Transform(flag) @IsBoolean() interpreters?: boolean;
  @IsOptional() @Transform(flag) @IsBoolean() immigrationSafe?: boolean;
  @IsOptional() @Transform(flag) @IsBoolean() free?: boolean;
  @IsOptional() @Transform(flag) @IsBoolean() includeInactive?: boolean;
}

export class PartnerDto implements PartnerInput {
  @IsString() @MinLength(1) @MaxLength(200) name!: string;
  @IsIn(PARTNER_SERVICE_TYPES) serviceType!: PartnerServiceType;
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LANGUAGE_GROUPS.length)
  @IsIn(LANGUAGE_GROUPS, { each: true })
  languages?: LanguageGroup[];
  @IsOptional() @IsBoolean() sexWorkerFriendly?: boolean;
  @IsOptional() @IsBoolean() noIdRequired?: boolean;
  @IsOptional() @IsBoolean() interpreters?: boolean;
  @IsOptional() @IsBoolean() immigrationSafe?: boolean;
  @IsOptional() @IsBoolean() free?: boolean;
  @IsOptional() @IsString() @MaxLength(500) contactDetails?: string;
}

export class UpdatePartnerDto implements UpdatePartnerRequest {
  @IsInt() @Min(1) version!: number;
  @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @IsOptional() @IsIn(PARTNER_SERVICE_TYPES) serviceType?: PartnerServiceType;
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LANGUAGE_GROUPS.length)
  @IsIn(LANGUAGE_GROUPS, { each: true })
  languages?: LanguageGroup[];
  @IsOptional() @IsBoolean() sexWorkerFriendly?: boolean;
  @IsOptional() @IsBoolean() noIdRequired?: boolean;
  @IsOptional() @IsBoolean() interpreters?: boolean;
  @IsOptional() @IsBoolean() immigrationSafe?: boolean;
  @IsOptional() @IsBoolean() free?: boolean;
  @IsOptional() @IsBoolean() active?: boolean;
  @IsOptional() @IsString() @MaxLength(500) contactDetails?: string;
}
