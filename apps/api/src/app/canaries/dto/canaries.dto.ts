import { MAX_CANARY_CONTACTS, type PlantCanaryRequest } from '@harbour/domain';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { NewPersonDto } from '../../../core/records/records.dto';

export class PlantCanaryDto extends NewPersonDto implements PlantCanaryRequest {
  @IsOptional() @IsUUID() caseworkerId?: string;
  @IsOptional() @IsInt() @Min(0) @Max(MAX_CANARY_CONTACTS) contacts?: number;
}
