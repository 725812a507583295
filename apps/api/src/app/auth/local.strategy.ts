import { Injectable, type ExecutionContext } from '@nestjs/common';
import { AuthGuard, PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-local';
import { ValidationFailedError } from '../../infra/http/domain-error';
import { createValidationPipe } from '../../infra/http/validation';
import { AuthService, type PasswordCandidate } from './auth.service';
import { LoginDto } from './dto/login.dto';

/** The password step, as a passport local strategy (`POST /api/auth/login`). */
@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, 'local') {
  constructor(private readonly auth: AuthService) {
    super({
      usernameField: 'email',
      passwordField: 'password',
      session: false,
      passReqToCallback: true,
    });
  }

  validate(req: Request, email: string, password: string): Promise<PasswordCandidate> {
    // Express with trust proxy off: the socket address; with a configured proxy: its client.
    return this.auth.authenticatePassword(email, password, req.ip ?? 'unknown');
  }
}

/** The body rules of the password step, applied before passport reads the body. */
const LOGIN_BODY = createValidationPipe();

/**
 * Runs the local strategy; a body without both fields is a validation error, not a 401. The body
 * is validated first (guards run before pipes): a number or an object as the e-mail or password
 * is a 400 naming the field, and never reaches the password check.
 */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    await LOGIN_BODY.transform(req.body, { type: 'body', metatype: LoginDto });
    return (await super.canActivate(context)) as boolean;
  }

  override handleRequest<T>(err: unknown, user: T, info: unknown, _context: ExecutionContext): T {
    if (err instanceof Error) throw err;
    if (user === false || user === undefined || user === null) {
      const message = (info as { message?: unknown } | undefined)?.message;
      if (message === 'Missing credentials') {
        throw new ValidationFailedError([{ path: 'email', reason: 'required' }]);
      }
      throw new ValidationFailedError([{ path: 'email', reason: 'invalid' }]);
    }
    return user;
  }
}
