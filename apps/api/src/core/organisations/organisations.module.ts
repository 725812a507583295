import { Module } from '@nestjs/common';
import { OrganisationKeysRepository } from '../../data/keys/organisation-keys.repository';
import { OrganisationsRepository } from '../../data/organisations/organisations.repository';
import { OrganisationProvisioning } from './organisation-provisioning';

@Module({
  providers: [OrganisationsRepository, OrganisationKeysRepository, OrganisationProvisioning],
  exports: [OrganisationsRepository, OrganisationProvisioning],
})
export class OrganisationsCoreModule {}
