import { Module } from '@nestjs/common';
import { CanaryRegistryModule } from '../../core/canaries/canary-registry.module';
import { RecordsModule } from '../../core/records/records.module';
import { StaffUsersRepository } from '../../data/staff/staff-users.repository';
import { CanariesController } from './canaries.controller';
import { CanariesService } from './canaries.service';

@Module({
  imports: [CanaryRegistryModule, RecordsModule],
  controllers: [CanariesController],
  providers: [CanariesService, StaffUsersRepository],
})
export class CanariesModule {}
