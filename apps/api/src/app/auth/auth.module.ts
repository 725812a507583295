import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { KeyringModule } from '../../core/keyring/keyring.module';
import { SessionsModule } from '../../core/sessions/sessions.module';
import { OrganisationsRepository } from '../../data/organisations/organisations.repository';
import { RecoveryCodesRepository } from '../../data/staff/recovery-codes.repository';
import { StaffUsersRepository } from '../../data/staff/staff-users.repository';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { LanguageController } from './language.controller';
import { LocalStrategy } from './local.strategy';

@Module({
  imports: [PassportModule, KeyringModule, SessionsModule],
  controllers: [AuthController, LanguageController],
  providers: [
    AuthService,
    LocalStrategy,
    StaffUsersRepository,
    OrganisationsRepository,
    RecoveryCodesRepository,
  ],
})
export class AuthModule {}
