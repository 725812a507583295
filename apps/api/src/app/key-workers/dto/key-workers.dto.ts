import {
  MAX_KEY_WORKER_PAGE,
  type AssignKeyWorkerRequest,
  type HandOverRequest,
  type KeyWorkerPeopleQuery,
  type SetRestrictionRequest,
} from '@harbour/domain';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsOptional,
  IsUUID,
} from 'class-validator';
import { IsRecordVersion, IsText, QueryInt } from '../../../infra/http/validation-rules';

/** The most people one hand-over may name (all of a worker's people: leave `personIds` out). */
export const MAX_HANDOVER_PEOPLE = 1000;

export class AssignKeyWorkerDto implements AssignKeyWorkerRequest {
  @IsUUID() staffId!: string;
}

export class SetRestrictionDto implements SetRestrictionRequest {
  @IsBoolean() restricted!: boolean;
  @IsRecordVersion() version!: number;
}

export class KeyWorkerPeopleQueryDto implements KeyWorkerPeopleQuery {
  @IsOptional() @IsText(200) cursor?: string;
  @IsOptional() @QueryInt(1, MAX_KEY_WORKER_PAGE) limit?: number;
}

export class HandOverDto implements HandOverRequest {
  @IsUUID() fromStaffId!: string;
  @IsUUID() toStaffId!: string;
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_HANDOVER_PEOPLE)
  @IsUUID('all', { each: true })
  personIds?: string[];
}
