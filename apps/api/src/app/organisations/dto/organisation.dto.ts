import type { UpdateOrganisationSettingsRequest } from '@harbour/domain';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

export class UpdateOrganisationSettingsDto implements UpdateOrganisationSettingsRequest {
  @IsInt()
  @Min(1)
  version!: number;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @IsOptional()
  @IsInt()
  @Min(2)
  @Max(11)
  reportK?: number;
}
