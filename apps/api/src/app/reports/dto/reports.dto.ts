import type { ReportQuery, ReportTierName } from '@harbour/domain';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { IsText } from '../../../infra/http/validation-rules';

/** A year (`2026`) or a quarter (`2026-Q3`); the service checks that it has closed. */
const PERIOD = /^\d{4}(-Q[1-4])?$/;

/** A filter's value (at most 64 characters). */
const IsFilterValue = (): PropertyDecorator => IsText(64);

/**
 * A report query: a closed period, a tier, and at most one filter (the service checks the
 * filter's value against what the organisation has and that only one is given).
 */
export class ReportQueryDto implements ReportQuery {
  @IsOptional() @IsString() @Matches(PERIOD) period?: string;
  @IsOptional() @IsIn(['internal', 'external']) tier?: ReportTierName;
  @IsOptional() @IsFilterValue() language?: string;
  @IsOptional() @IsFilterValue() circumstance?: string;
  @IsOptional() @IsFilterValue() channel?: string;
  @IsOptional() @IsFilterValue() region?: string;
  @IsOptional() @IsFilterValue() partner?: string;
  @IsOptional() @IsFilterValue() category?: string;
}
