import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { SESSION_RESOLVER } from '../../infra/auth/access';
import { LoginThrottle } from '../../infra/auth/login-throttle';
import { PasswordHasher } from '../../infra/auth/password-hasher';
import { KeyringModule } from '../../core/keyring/keyring.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { LocalStrategy } from './local.strategy';
import { SessionService } from '../../core/sessions/session.service';

@Module({
  imports: [PassportModule, KeyringModule],
  controllers: [AuthController],
  providers: [
    AuthService,
    SessionService,
    LocalStrategy,
    PasswordHasher,
    LoginThrottle,
    { provide: SESSION_RESOLVER, useExisting: SessionService },
  ],
  exports: [SessionService, SESSION_RESOLVER, PasswordHasher, LoginThrottle],
})
export class AuthModule {}
