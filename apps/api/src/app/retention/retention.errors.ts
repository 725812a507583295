import type { FieldError } from '@harbour/domain';
import { DomainError } from '../../infra/http/domain-error';

/**
 * 422 `retention_period_invalid`: a period outside its class's bounds, "keep forever" where the
 * class must have a period, or a class given twice. The fields name the entries and the reason
 * (`forever`, `min`, `max`, `integer`, `duplicate`); nothing is written.
 */
export class RetentionPeriodInvalidError extends DomainError {
  constructor(fields: readonly FieldError[]) {
    super('retention_period_invalid', 'A retention period is not allowed for its class.', fields);
  }
}
