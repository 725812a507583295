import {
  STALE_REFERRAL_DAYS_MAX,
  STALE_REFERRAL_DAYS_MIN,
  type UpdateOrganisationSettingsRequest,
} from '@harbour/domain';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsName, IsOptionalOrNull, IsRecordVersion } from '../../../infra/http/validation-rules';

export class UpdateOrganisationSettingsDto implements UpdateOrganisationSettingsRequest {
  @IsRecordVersion()
  version!: number;

  @IsOptional()
  @IsName()
  name?: string;

  @IsOptional()
  @IsInt()
  @Min(2)
  @Max(11)
  reportK?: number;

  /** Days a referral may wait on its partner before a follow-up is added; null: off. */
  @IsOptionalOrNull()
  @IsInt()
  @Min(STALE_REFERRAL_DAYS_MIN)
  @Max(STALE_REFERRAL_DAYS_MAX)
  staleReferralDays?: number | null;
}
