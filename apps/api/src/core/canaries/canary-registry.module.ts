import { Module } from '@nestjs/common';
import { KeyringModule } from '../keyring/keyring.module';
import { CanaryRegistry } from './canary-registry';

/** Which people are canaries: read by the anomaly flags and reports, written by the admin routes. */
@Module({ imports: [KeyringModule], providers: [CanaryRegistry], exports: [CanaryRegistry] })
export class CanaryRegistryModule {}
