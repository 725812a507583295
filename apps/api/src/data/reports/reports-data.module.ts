import { Module } from '@nestjs/common';
import { ReportsRepository } from './reports.repository';

/** The reports' data access: counting statements and stored publications. */
@Module({
  providers: [ReportsRepository],
  exports: [ReportsRepository],
})
export class ReportsDataModule {}
