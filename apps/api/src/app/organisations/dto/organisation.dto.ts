import type { UpdateOrganisationSettingsRequest } from '@harbour/domain';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsName, IsRecordVersion } from '../../../infra/http/validation-rules';

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
}
