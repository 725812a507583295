import { Module } from '@nestjs/common';
import { KeyringModule } from '../../core/keyring/keyring.module';
import { SessionsModule } from '../../core/sessions/sessions.module';
import { DeviceKeysRepository } from '../../data/devices/device-keys.repository';
import { OrganisationsRepository } from '../../data/organisations/organisations.repository';
import { StaffChangeRequests } from '../../data/staff/staff-change-requests.repository';
import { OrganisationController } from './organisation.controller';
import { OrganisationService } from './organisation.service';

@Module({
  imports: [SessionsModule, KeyringModule],
  controllers: [OrganisationController],
  providers: [
    OrganisationService,
    OrganisationsRepository,
    StaffChangeRequests,
    DeviceKeysRepository,
  ],
})
export class OrganisationModule {}
