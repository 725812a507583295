import { Global, Module, type DynamicModule } from '@nestjs/common';
import { JOBS_OPTIONS, Scheduler, type JobsOptions } from './scheduler';
import { RealTimers, TimerSource } from './timers';

/**
 * Periodic tasks shared by every feature (`Scheduler`). `enabled: false` (the operator CLI)
 * registers tasks but never starts them. Tests replace `TimerSource` with `ManualTimers`.
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
      ],
      exports: [Scheduler],
    };
  }
}
