import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { UnauthenticatedError } from '../http/domain-error';
import type { AuthenticatedRequest } from './access';
import type { Principal } from './principal';

/** The principal the access guard resolved for this request. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => {
    const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
    if (principal === undefined) throw new UnauthenticatedError();
    return principal;
  },
);
