import {
  ANOMALY_ID_PATTERN,
  AUDIT_ACTIONS,
  type ReviewAnomalyRequest,
  type AccessEventQuery,
  type AuditAction,
  type AuditOutcome,
} from '@harbour/domain';
import { IsIn, IsISO8601, IsOptional, IsUUID, Matches } from 'class-validator';
import { IsText, PageLimit, QueryInt } from '../../../infra/http/validation-rules';

/** Filters of `GET /api/audit/events` and `GET /api/audit/export`. Values are never search terms on identity. */
export class AccessEventQueryDto implements AccessEventQuery {
  @IsOptional()
  @IsUUID()
  actor?: string;

  @IsOptional()
  @IsIn(AUDIT_ACTIONS)
  action?: AuditAction;

  /** A pseudonymous resource id or code. */
  @IsOptional()
  @IsText(200)
  resource?: string;

  @IsOptional()
  @IsIn(['success', 'denied', 'failure'])
  outcome?: AuditOutcome;

  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @IsOptional()
  @QueryInt(0)
  before?: number;

  @IsOptional()
  @PageLimit()
  limit?: number;
}

export class InclusionQueryDto {
  @QueryInt(0)
  seq!: number;

  @QueryInt(1)
  treeSize!: number;
}

export class ConsistencyQueryDto {
  @QueryInt(1)
  from!: number;

  @QueryInt(1)
  to!: number;
}

export class ReviewAnomalyDto implements ReviewAnomalyRequest {
  @IsText(120)
  @Matches(ANOMALY_ID_PATTERN)
  id!: string;
}
