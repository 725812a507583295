import { Module } from '@nestjs/common';
import { OrganisationKeysRepository } from '../../data/keys/organisation-keys.repository';
import { KeyLifecycle } from './key-lifecycle';
import { LockdownSweep } from './lockdown-sweep';
import { MasterKeyRotation } from './master-key-rotation';
import { KeyringService, LOCKDOWN_SWEEP_INTERVAL, LOCKDOWN_SWEEP_MS } from './keyring.service';
import { KeyMaterialStore } from '../../data/keys/key-material.store';

@Module({
  providers: [
    KeyringService,
    KeyLifecycle,
    LockdownSweep,
    MasterKeyRotation,
    OrganisationKeysRepository,
    KeyMaterialStore,
    { provide: LOCKDOWN_SWEEP_INTERVAL, useValue: LOCKDOWN_SWEEP_MS },
  ],
  exports: [KeyringService, KeyLifecycle, MasterKeyRotation],
})
export class KeyringModule {}
