import { Module } from '@nestjs/common';
import { OrganisationKeysRepository } from '../../data/keys/organisation-keys.repository';
import { KeyringService, LOCKDOWN_SWEEP_INTERVAL, LOCKDOWN_SWEEP_MS } from './keyring.service';

@Module({
  providers: [
    KeyringService,
    OrganisationKeysRepository,
    { provide: LOCKDOWN_SWEEP_INTERVAL, useValue: LOCKDOWN_SWEEP_MS },
  ],
  exports: [KeyringService],
})
export class KeyringModule {}
