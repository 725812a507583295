import {
  Catch,
  HttpException,
  HttpStatus,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { ApiErrorBody, ErrorCode } from '@harbour/domain';
import type { Response } from 'express';
import type { Logger } from 'pino';
import {
  isTransientDatabaseError,
  TRANSIENT_RETRY_AFTER_SECONDS,
} from '../database/transient-errors';
import { describeError } from '../logging/logger';
import { DomainError } from './domain-error';
import { sendError } from './error-response';

/**
 * The single exception filter. Domain errors keep their code; Nest's own HTTP exceptions (an
 * unknown route, a body parser limit) are mapped to codes; a lost or refusing database is 503
 * `service_unavailable` with `Retry-After` (retrying is safe: a create retried with the same
 * `Idempotency-Key` applies once even if the connection died during its commit);
 * anything else is an internal fault: logged without its message, answered with a generic body
 * and the correlation id.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (exception instanceof DomainError) {
      const retryAfter = (exception as { retryAfterSeconds?: unknown }).retryAfterSeconds;
      if (typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
      else if (exception.code === 'service_unavailable') {
        res.setHeader('Retry-After', String(TRANSIENT_RETRY_AFTER_SECONDS));
      }
      if (exception.code === 'internal_error' || exception.code === 'service_unavailable') {
        this.logger.error({ err: describeError(exception) }, exception.code);
      }
      // A duplicate warning names the likely existing people (codes only, never identity).
      const candidates = (exception as { candidates?: ApiErrorBody['candidates'] }).candidates;
      sendError(res, exception.code, exception.message, exception.fields, candidates);
      return;
    }
    if (exception instanceof HttpException) {
      const code = codeForHttpStatus(exception.getStatus());
      if (code === 'internal_error') {
        this.logger.error({ err: describeError(exception) }, 'unexpected HTTP exception');
      }
      sendError(res, code, messageForHttpCode(code));
      return;
    }
    if (isTransientDatabaseError(exception)) {
      // The database is away or refused the transaction for now: the client may retry.
      this.logger.warn({ err: describeError(exception) }, 'database unavailable');
      res.setHeader('Retry-After', String(TRANSIENT_RETRY_AFTER_SECONDS));
      sendError(res, 'service_unavailable', messageForHttpCode('service_unavailable'));
      return;
    }
    this.logger.error({ err: describeError(exception) }, 'unhandled error');
    sendError(res, 'internal_error', '');
  }
}

function codeForHttpStatus(status: HttpStatus): ErrorCode {
  switch (status) {
    case HttpStatus.BAD_REQUEST:
      return 'validation_failed';
    case HttpStatus.UNAUTHORIZED:
      return 'unauthenticated';
    case HttpStatus.FORBIDDEN:
      return 'forbidden';
    case HttpStatus.NOT_FOUND:
    case HttpStatus.METHOD_NOT_ALLOWED:
      return 'not_found';
    case HttpStatus.PAYLOAD_TOO_LARGE:
      return 'payload_too_large';
    case HttpStatus.UNSUPPORTED_MEDIA_TYPE:
      return 'unsupported_media_type';
    case HttpStatus.TOO_MANY_REQUESTS:
      return 'rate_limited';
    case HttpStatus.SERVICE_UNAVAILABLE:
      return 'service_unavailable';
    default:
      return 'internal_error';
  }
}

function messageForHttpCode(code: ErrorCode): string {
  switch (code) {
    case 'validation_failed':
      return 'The request is not valid.';
    case 'unauthenticated':
      return 'Sign in to continue.';
    case 'forbidden':
      return 'Not allowed.';
    case 'not_found':
      return 'Not found.';
    case 'payload_too_large':
      return 'The request body is too large.';
    case 'unsupported_media_type':
      return 'Request bodies must be application/json.';
    case 'rate_limited':
      return 'Too many requests. Please wait and try again.';
    case 'service_unavailable':
      return 'The service is temporarily unavailable. Please try again.';
    default:
      return '';
  }
}
