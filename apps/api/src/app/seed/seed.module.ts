import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ContactsModule } from '../contacts/contacts.module';
import { KeyringModule } from '../../core/keyring/keyring.module';
import { OrganisationModule } from '../organisations/organisation.module';
import { PersonsModule } from '../persons/persons.module';
import { ReferralsModule } from '../referrals/referrals.module';
import { DemoCaseSeeder } from './demo-cases';
import { DemoSeeder } from './demo-seed';

@Module({
  imports: [
    AuthModule,
    KeyringModule,
    OrganisationModule,
    PersonsModule,
    ContactsModule,
    ReferralsModule,
  ],
  providers: [DemoSeeder, DemoCaseSeeder],
  exports: [DemoSeeder, DemoCaseSeeder],
})
export class SeedModule {}
