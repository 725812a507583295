import { Global, Module, type DynamicModule } from '@nestjs/common';
import { REPLICA_OPTIONS, ReplicaReads, type ReplicaOptions } from './replica';

/** The read replica's pool (`DATABASE_REPLICA_URL`), or reads on the primary without one. */
@Global()
@Module({})
export class ReplicaModule {
  static forRoot(options: ReplicaOptions | null): DynamicModule {
    return {
      module: ReplicaModule,
      providers: [{ provide: REPLICA_OPTIONS, useValue: options }, ReplicaReads],
      exports: [ReplicaReads],
    };
  }
}
