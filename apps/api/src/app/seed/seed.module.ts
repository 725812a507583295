import { Module } from '@nestjs/common';
import { OrganisationsCoreModule } from '../../core/organisations/organisations.module';
import { SessionsModule } from '../../core/sessions/sessions.module';
import { KeyringModule } from '../../core/keyring/keyring.module';
import { RecordsModule } from '../../core/records/records.module';
import { ReferralsModule } from '../referrals/referrals.module';
import { StaffUsersRepository } from '../../data/staff/staff-users.repository';
import { DemoCaseSeeder } from './demo-cases';
import { DemoDuplicateSeeder } from './demo-duplicates';
import { DemoSeeder } from './demo-seed';

@Module({
  imports: [SessionsModule, KeyringModule, OrganisationsCoreModule, RecordsModule, ReferralsModule],
  providers: [DemoSeeder, DemoCaseSeeder, DemoDuplicateSeeder, StaffUsersRepository],
  exports: [DemoSeeder, DemoCaseSeeder],
})
export class SeedModule {}
