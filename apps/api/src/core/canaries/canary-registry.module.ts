import { Module } from '@nestjs/common';
import { CanariesRepository } from '../../data/canaries/canaries.repository';
import { PersonsRepository } from '../../data/persons/persons.repository';
import { KeyringModule } from '../keyring/keyring.module';
import { CanaryRegistry } from './canary-registry';

/** Which people are canaries: read by the anomaly flags and reports, written by the admin routes. */
@Module({
  imports: [KeyringModule],
  providers: [CanaryRegistry, CanariesRepository, PersonsRepository],
  exports: [CanaryRegistry],
})
export class CanaryRegistryModule {}
