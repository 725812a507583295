import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { KeyringModule } from '../keyring/keyring.module';
import { OrganisationModule } from '../organisations/organisation.module';
import { DemoSeeder } from './demo-seed';

@Module({
  imports: [AuthModule, KeyringModule, OrganisationModule],
  providers: [DemoSeeder],
  exports: [DemoSeeder],
})
export class SeedModule {}
