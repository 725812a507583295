import { Module } from '@nestjs/common';
import { OrganisationKeysRepository } from '../../data/keys/organisation-keys.repository';
import { OrganisationsRepository } from '../../data/organisations/organisations.repository';
import { OrganisationProvisioning } from './organisation-provisioning';
import { KeyMaterialStore } from '../../data/keys/key-material.store';

@Module({
  providers: [
    OrganisationsRepository,
    OrganisationKeysRepository,
    KeyMaterialStore,
    OrganisationProvisioning,
  ],
  exports: [OrganisationsRepository, OrganisationProvisioning],
})
export class OrganisationsCoreModule {}
