import { Module } from '@nestjs/common';
import { CanaryRegistryModule } from '../../core/canaries/canary-registry.module';
import { ReportsController } from './reports.controller';
import { ReportsRepository } from '../../data/reports/reports.repository';
import { ReportsService } from './reports.service';

@Module({
  imports: [CanaryRegistryModule],
  controllers: [ReportsController],
  providers: [ReportsService, ReportsRepository],
})
export class ReportsModule {}
