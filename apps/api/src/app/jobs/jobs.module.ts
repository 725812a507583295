import { Module } from '@nestjs/common';
import { BackgroundJobsModule } from '../../core/jobs/background-jobs.module';
import { JobsController } from './jobs.controller';

@Module({
  imports: [BackgroundJobsModule],
  controllers: [JobsController],
})
export class JobsApiModule {}
