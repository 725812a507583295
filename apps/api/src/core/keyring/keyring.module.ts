import { Module } from '@nestjs/common';
import { KeyringService, LOCKDOWN_SWEEP_INTERVAL, LOCKDOWN_SWEEP_MS } from './keyring.service';

@Module({
  providers: [KeyringService, { provide: LOCKDOWN_SWEEP_INTERVAL, useValue: LOCKDOWN_SWEEP_MS }],
  exports: [KeyringService],
})
export class KeyringModule {}
