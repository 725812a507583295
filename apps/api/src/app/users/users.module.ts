import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { OrganisationModule } from '../organisations/organisation.module';
import { StaffApprovalsController } from './staff-approvals.controller';
import { StaffApprovalsService } from './staff-approvals.service';
import { StaffBootstrap } from './staff-bootstrap.service';
import { StaffChangeRequests } from '../../data/staff/staff-change-requests.repository';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [AuthModule, OrganisationModule],
  // The approvals controller first: `/api/users/approvals` must not be read as a user id.
  controllers: [StaffApprovalsController, UsersController],
  providers: [UsersService, StaffChangeRequests, StaffApprovalsService, StaffBootstrap],
  exports: [UsersService, StaffBootstrap],
})
export class UsersModule {}
