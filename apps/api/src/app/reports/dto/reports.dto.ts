import type { ReportQuery, ReportTierName } from '@harbour/domain';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** A year (`2026`) or a quarter (`2026-Q3`); the service checks that it has closed. */
const PERIOD = /^\d{4}(-Q[1-4])?$/;

/**
 * A report query: a closed period, a tier, and at most one filter (the service checks the
 * filter's value against what the organisation has and that only one is given).
 */
export class ReportQueryDto implements ReportQuery {
  @IsOptional() @IsString() @Matches(PERIOD) period?: string;
  @IsOptional() @IsIn(['internal', 'external']) tier?: ReportTierName;
  @IsOptional() @IsString() @MaxLength(64) language?: string;
  @IsOptional() @IsString() @MaxLength(64) circumstance?: string;
  @IsOptional() @IsString() @MaxLength(64) channel?: string;
  @IsOptional() @IsString() @MaxLength(64) region?: string;
  @IsOptional() @IsString() @MaxLength(64) partner?: string;
  @IsOptional() @IsString() @MaxLength(64) category?: string;
}
