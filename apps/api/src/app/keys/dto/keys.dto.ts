import type { StartRotationRequest } from '@harbour/domain';
import { IsIn } from 'class-validator';

export class StartRotationDto implements StartRotationRequest {
  @IsIn(['organisation_data', 'kek']) purpose!: 'organisation_data' | 'kek';
}
