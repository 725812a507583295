import { Module } from '@nestjs/common';
import { OrganisationsCoreModule } from '../../core/organisations/organisations.module';
import { SessionsModule } from '../../core/sessions/sessions.module';
import { StaffApprovalsController } from './staff-approvals.controller';
import { StaffApprovalsService } from './staff-approvals.service';
import { StaffBootstrap } from './staff-bootstrap.service';
import { StaffChangeRequests } from '../../data/staff/staff-change-requests.repository';
import { DeviceKeysRepository } from '../../data/devices/device-keys.repository';
import { RecoveryCodesRepository } from '../../data/staff/recovery-codes.repository';
import { StaffUsersRepository } from '../../data/staff/staff-users.repository';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [SessionsModule, OrganisationsCoreModule],
  // The approvals controller first: `/api/users/approvals` must not be read as a user id.
  controllers: [StaffApprovalsController, UsersController],
  providers: [
    UsersService,
    StaffChangeRequests,
    StaffApprovalsService,
    StaffBootstrap,
    StaffUsersRepository,
    RecoveryCodesRepository,
    DeviceKeysRepository,
  ],
  exports: [UsersService, StaffBootstrap],
})
export class UsersModule {}
