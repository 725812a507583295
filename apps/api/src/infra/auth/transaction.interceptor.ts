import {
  Injectable,
  SetMetadata,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { Db } from '../database/transaction';
import type { AuthenticatedRequest } from './access';

/**
 * Runs every route handler inside one database transaction whose tenant is the caller's
 * organisation (from the session only). An error rolls everything back: a rejected request
 * writes nothing.
 */
const NO_TRANSACTION = 'harbour:no-transaction';

/** For routes that must answer even when the database does not (health checks). */
export const NoTransaction = (): ClassDecorator & MethodDecorator =>
  SetMetadata(NO_TRANSACTION, true);

@Injectable()
export class TransactionInterceptor implements NestInterceptor {
  constructor(
    private readonly db: Db,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const skip = this.reflector.getAllAndOverride<boolean | undefined>(NO_TRANSACTION, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (skip === true) return next.handle();
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const organisationId = req.principal?.organisationId ?? null;
    return from(
      this.db.transaction(organisationId, () =>
        lastValueFrom(next.handle(), { defaultValue: undefined }),
      ),
    );
  }
}
