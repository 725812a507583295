import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { KeyringModule } from '../../core/keyring/keyring.module';
import { OrganisationController } from './organisation.controller';
import { OrganisationService } from './organisation.service';

@Module({
  imports: [AuthModule, KeyringModule],
  controllers: [OrganisationController],
  providers: [OrganisationService],
  exports: [OrganisationService],
})
export class OrganisationModule {}
