import { Global, Module, type DynamicModule } from '@nestjs/common';
import { JOBS_OPTIONS, Scheduler, type JobsOptions } from './scheduler';
import { RealTimers, TimerSource } from './timers';
import { JobQueue } from './job-queue';

/**
 * Periodic tasks (`Scheduler`) and durable jobs (`JobQueue`) shared by every feature.
 * `enabled: false` (the operator CLI, most tests) registers tasks and handlers but never starts
 * them; jobs can still be sent. Tests replace `TimerSource` with `ManualTimers`.
 */
@Global()
@Module({})
export class JobsModule {
  static forRoot(options: JobsOptions): DynamicModule {
    return {
      module: JobsModule,
      providers: [
        { provide: JOBS_OPTIONS, useValue: options },
        { provide: TimerSource, useClass: RealTimers },
        Scheduler,
        JobQueue,
      ],
      exports: [Scheduler, JobQueue],
    };
  }
}
