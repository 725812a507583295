import {
  CONSENT_METHODS,
  CONSENT_SCOPES,
  LANGUAGE_GROUPS,
  MAX_OVERRIDE_REASON_LENGTH,
  MIN_OVERRIDE_REASON_LENGTH,
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
import { IsBoolean, IsIn, IsOptional, IsUUID } from 'class-validator';
import {
  IsName,
  IsNested,
  IsRecordVersion,
  IsSubsetOf,
  IsText,
  QueryBoolean,
} from '../../../infra/http/validation-rules';

export class CreateReferralDto implements CreateReferralRequest {
  @IsUUID() needId!: string;
  @IsUUID() partnerId!: string;
}

export class ReferralConsentDto implements ReferralConsentInput {
  @IsIn(CONSENT_METHODS) method!: ConsentMethod;
  @IsSubsetOf(CONSENT_SCOPES, 1) scope!: ConsentScope[];
}

export class ReferralTransitionDto implements ReferralTransitionRequest {
  @IsRecordVersion() version!: number;
  @IsIn(REFERRAL_STATUSES) to!: ReferralStatus;
  @IsOptional() @IsNested(() => ReferralConsentDto) consent?: ReferralConsentDto;
  @IsOptional()
  @IsText(MAX_OVERRIDE_REASON_LENGTH, MIN_OVERRIDE_REASON_LENGTH)
  overrideReason?: string;
}

export class ReferralQueryDto implements ReferralQuery {
  @IsOptional() @IsIn(REFERRAL_STATUSES) status?: ReferralStatus;
  @IsOptional() @IsUUID() partner?: string;
  @IsOptional() @IsUUID() person?: string;
}

export class PartnerQueryDto implements PartnerQuery {
  @IsOptional() @IsIn(PARTNER_SERVICE_TYPES) serviceType?: PartnerServiceType;
  @IsOptional() @IsIn(LANGUAGE_GROUPS) language?: LanguageGroup;
  @IsOptional() @QueryBoolean() sexWorkerFriendly?: boolean;
  @IsOptional() @QueryBoolean() noIdRequired?: boolean;
  @IsOptional() @QueryBoolean() interpreters?: boolean;
  @IsOptional() @QueryBoolean() immigrationSafe?: boolean;
  @IsOptional() @QueryBoolean() free?: boolean;
  @IsOptional() @QueryBoolean() includeInactive?: boolean;
}

export class PartnerDto implements PartnerInput {
  @IsName() name!: string;
  @IsIn(PARTNER_SERVICE_TYPES) serviceType!: PartnerServiceType;
  @IsOptional() @IsSubsetOf(LANGUAGE_GROUPS) languages?: LanguageGroup[];
  @IsOptional() @IsBoolean() sexWorkerFriendly?: boolean;
  @IsOptional() @IsBoolean() noIdRequired?: boolean;
  @IsOptional() @IsBoolean() interpreters?: boolean;
  @IsOptional() @IsBoolean() immigrationSafe?: boolean;
  @IsOptional() @IsBoolean() free?: boolean;
  @IsOptional() @IsText(500) contactDetails?: string;
}

export class UpdatePartnerDto implements UpdatePartnerRequest {
  @IsRecordVersion() version!: number;
  @IsOptional() @IsName() name?: string;
  @IsOptional() @IsIn(PARTNER_SERVICE_TYPES) serviceType?: PartnerServiceType;
  @IsOptional() @IsSubsetOf(LANGUAGE_GROUPS) languages?: LanguageGroup[];
  @IsOptional() @IsBoolean() sexWorkerFriendly?: boolean;
  @IsOptional() @IsBoolean() noIdRequired?: boolean;
  @IsOptional() @IsBoolean() interpreters?: boolean;
  @IsOptional() @IsBoolean() immigrationSafe?: boolean;
  @IsOptional() @IsBoolean() free?: boolean;
  @IsOptional() @IsBoolean() active?: boolean;
  @IsOptional() @IsText(500) contactDetails?: string;
}
