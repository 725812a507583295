import { Module } from '@nestjs/common';
import { CanaryRegistryModule } from '../../core/canaries/canary-registry.module';
import { ReportsController } from './reports.controller';
import { ReportsDataModule } from '../../data/reports/reports-data.module';
import { ReportsService } from './reports.service';
import { DisclosuresReports } from './disclosures.report';
import { OutcomeChangeReports } from './outcome-change.report';

@Module({
  imports: [CanaryRegistryModule, ReportsDataModule],
  controllers: [ReportsController],
  providers: [ReportsService, OutcomeChangeReports, DisclosuresReports],
})
export class ReportsModule {}
