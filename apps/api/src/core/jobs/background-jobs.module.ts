import { Module } from '@nestjs/common';
import { BackgroundJobsRepository } from '../../data/jobs/background-jobs.repository';
import { BackgroundJobs } from './background-jobs';

@Module({
  providers: [BackgroundJobs, BackgroundJobsRepository],
  exports: [BackgroundJobs],
})
export class BackgroundJobsModule {}
