import { Module } from '@nestjs/common';
import { SESSION_RESOLVER } from '../../infra/auth/access';
import { LoginThrottle } from './login-throttle';
import { PasswordHasher } from '../../infra/auth/password-hasher';
import { LoginThrottleRepository } from '../../data/staff/login-throttle.repository';
import { SessionsRepository } from '../../data/staff/sessions.repository';
import { KeyringModule } from '../keyring/keyring.module';
import { SessionService } from './session.service';

/**
 * Staff sessions and what signing in stands on — password hashing and throttling — for the
 * sign-in feature and for the features that end sessions or reset passwords (staff
 * administration, lockdown). The access guard resolves sessions through `SESSION_RESOLVER`.
 */
@Module({
  imports: [KeyringModule],
  providers: [
    SessionService,
    PasswordHasher,
    LoginThrottle,
    LoginThrottleRepository,
    SessionsRepository,
    { provide: SESSION_RESOLVER, useExisting: SessionService },
  ],
  exports: [SessionService, SESSION_RESOLVER, PasswordHasher, LoginThrottle],
})
export class SessionsModule {}
