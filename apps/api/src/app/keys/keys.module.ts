import { Module } from '@nestjs/common';
import { BackgroundJobsModule } from '../../core/jobs/background-jobs.module';
import { KeyringModule } from '../../core/keyring/keyring.module';
import { FieldRotationRepository } from '../../data/keys/field-rotation.repository';
import { OrganisationKeysRepository } from '../../data/keys/organisation-keys.repository';
import { KeyMaintenance } from './key-maintenance.task';
import { KeyRotation } from './key-rotation.service';
import { KeysController } from './keys.controller';
import { KeysService } from './keys.service';
import { KeyMaterialStore } from '../../data/keys/key-material.store';

@Module({
  imports: [KeyringModule, BackgroundJobsModule],
  controllers: [KeysController],
  providers: [
    KeysService,
    KeyRotation,
    KeyMaintenance,
    FieldRotationRepository,
    OrganisationKeysRepository,
    KeyMaterialStore,
  ],
})
export class KeysModule {}
