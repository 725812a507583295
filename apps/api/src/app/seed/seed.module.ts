import { Module } from '@nestjs/common';
import { OrganisationsCoreModule } from '../../core/organisations/organisations.module';
import { SessionsModule } from '../../core/sessions/sessions.module';
import { KeyringModule } from '../../core/keyring/keyring.module';
import { RecordsModule } from '../../core/records/records.module';
import { FollowUpsModule } from '../follow-ups/follow-ups.module';
import { ReferralsModule } from '../referrals/referrals.module';
import { OutcomeCheckInsRepository } from '../../data/outcomes/outcome-check-ins.repository';
import { StaffUsersRepository } from '../../data/staff/staff-users.repository';
import { DEMO_ADDITIONS } from './demo-additions';
import { DemoCaseSeeder } from './demo-cases';
import { DemoSeeder } from './demo-seed';

@Module({
  imports: [
    SessionsModule,
    KeyringModule,
    OrganisationsCoreModule,
    RecordsModule,
    ReferralsModule,
    FollowUpsModule,
  ],
  providers: [
    DemoSeeder,
    DemoCaseSeeder,
    StaffUsersRepository,
    OutcomeCheckInsRepository,
    ...DEMO_ADDITIONS,
  ],
  exports: [DemoSeeder, DemoCaseSeeder],
})
export class SeedModule {}
