import {
  OUTCOME_RATINGS,
  type OutcomeRating,
  type OutcomeRatings,
  type RecordCheckInRequest,
} from '@harbour/domain';
import { IsIn, IsObject } from 'class-validator';
import { IsCalendarDate, IsNested, IsOptionalOrNull } from '../../infra/http/validation-rules';

/** Each domain: a rating 1–5, or null / absent for not discussed. */
export class OutcomeRatingsDto implements Partial<
  Record<keyof OutcomeRatings, OutcomeRating | null>
> {
  @IsOptionalOrNull() @IsIn(OUTCOME_RATINGS) safety?: OutcomeRating | null;
  @IsOptionalOrNull() @IsIn(OUTCOME_RATINGS) legal_status?: OutcomeRating | null;
  @IsOptionalOrNull() @IsIn(OUTCOME_RATINGS) health_wellbeing?: OutcomeRating | null;
  @IsOptionalOrNull() @IsIn(OUTCOME_RATINGS) work_money?: OutcomeRating | null;
  @IsOptionalOrNull() @IsIn(OUTCOME_RATINGS) housing?: OutcomeRating | null;
  @IsOptionalOrNull() @IsIn(OUTCOME_RATINGS) social_support?: OutcomeRating | null;
}

export class RecordCheckInDto implements Omit<RecordCheckInRequest, 'ratings'> {
  @IsCalendarDate() checkedOn!: string;
  @IsObject() @IsNested(() => OutcomeRatingsDto) ratings!: OutcomeRatingsDto;
}
