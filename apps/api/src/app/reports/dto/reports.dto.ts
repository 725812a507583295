import type { ReportQuery, ReportTierName } from '@harbour/domain';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * A report query: whole months, a tier, and at most one filter (the service checks the filter's
 * value against what the organisation has and that only one is given).
 */
export class ReportQueryDto implements ReportQuery {
  @IsOptional() @Matches(MONTH) from?: string;
  @IsOptional() @Matches(MONTH) to?: string;
  @IsOptional() @IsIn(['internal', 'external']) tier?: ReportTierName;
  @IsOptional() @IsString() @MaxLength(64) language?: string;
  @IsOptional() @IsString() @MaxLength(64) circumstance?: string;
  @IsOptional() @IsString() @MaxLength(64) channel?: string;
  @IsOptional() @IsString() @MaxLength(64) region?: string;
  @IsOptional() @IsString() @MaxLength(64) partner?: string;
  @IsOptional() @IsString() @MaxLength(64) category?: string;
}
