import {
  FOLLOW_UP_ACTIONS,
  FOLLOW_UP_STATUSES,
  MAX_FOLLOW_UP_TEXT_LENGTH,
  type CreateFollowUpRequest,
  type FollowUpAction,
  type FollowUpQuery,
  type FollowUpStatus,
  type UpdateFollowUpRequest,
} from '@harbour/domain';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import {
  IsCalendarDate,
  IsRecordVersion,
  IsText,
  QueryBoolean,
} from '../../../infra/http/validation-rules';

export class CreateFollowUpDto implements CreateFollowUpRequest {
  @IsUUID() personId!: string;
  @IsOptional() @IsUUID() needId?: string;
  @IsOptional() @IsUUID() referralId?: string;
  @IsText(MAX_FOLLOW_UP_TEXT_LENGTH, 1) text!: string;
  @IsCalendarDate() dueOn!: string;
  @IsOptional() @IsUUID() assignedTo?: string;
}

export class UpdateFollowUpDto implements UpdateFollowUpRequest {
  @IsRecordVersion() version!: number;
  @IsIn(FOLLOW_UP_ACTIONS) action!: FollowUpAction;
  @IsOptional() @IsCalendarDate() dueOn?: string;
  @IsOptional() @IsUUID() assignedTo?: string;
}

export class FollowUpQueryDto implements FollowUpQuery {
  @IsOptional() @QueryBoolean() mine?: boolean;
  @IsOptional() @IsUUID() person?: string;
  @IsOptional() @IsIn(FOLLOW_UP_STATUSES) status?: FollowUpStatus;
  @IsOptional() @IsCalendarDate() dueBefore?: string;
}

export class DayQueryDto {
  /** The caller's calendar day (the browser's); must be today somewhere on Earth. */
  @IsOptional() @IsCalendarDate() today?: string;
}
