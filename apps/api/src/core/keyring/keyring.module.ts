import { Module } from '@nestjs/common';
import { OrganisationKeysRepository } from '../../data/keys/organisation-keys.repository';
import { DataKeyRotation } from './data-key-rotation';
import { LockdownSweep } from './lockdown-sweep';
import { MasterKeyRotation } from './master-key-rotation';
import { KeyringService, LOCKDOWN_SWEEP_INTERVAL, LOCKDOWN_SWEEP_MS } from './keyring.service';

@Module({
  providers: [
    KeyringService,
    DataKeyRotation,
    LockdownSweep,
    MasterKeyRotation,
    OrganisationKeysRepository,
    { provide: LOCKDOWN_SWEEP_INTERVAL, useValue: LOCKDOWN_SWEEP_MS },
  ],
  exports: [KeyringService, DataKeyRotation, MasterKeyRotation],
})
export class KeyringModule {}
