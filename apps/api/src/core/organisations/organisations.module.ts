import { Module } from '@nestjs/common';
import { OrganisationsRepository } from '../../data/organisations/organisations.repository';
import { KeyringModule } from '../keyring/keyring.module';
import { OrganisationProvisioning } from './organisation-provisioning';

@Module({
  imports: [KeyringModule],
  providers: [OrganisationsRepository, OrganisationProvisioning],
  exports: [OrganisationsRepository, OrganisationProvisioning],
})
export class OrganisationsCoreModule {}
