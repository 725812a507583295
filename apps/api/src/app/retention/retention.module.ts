import { Module } from '@nestjs/common';
import { CanaryRegistryModule } from '../../core/canaries/canary-registry.module';
import { RecordsModule } from '../../core/records/records.module';
import { RetentionRepository } from '../../data/retention/retention.repository';
import { RETENTION_CLASS_LIST, type RetentionClass } from './retention-class';
import { RETENTION_CLASS_TYPES } from './retention-classes';
import { RetentionController } from './retention.controller';
import { RetentionPurgeTask } from './retention-purge.task';
import { RetentionService } from './retention.service';

@Module({
  imports: [RecordsModule, CanaryRegistryModule],
  controllers: [RetentionController],
  providers: [
    RetentionRepository,
    RetentionService,
    RetentionPurgeTask,
    ...RETENTION_CLASS_TYPES,
    {
      provide: RETENTION_CLASS_LIST,
      useFactory: (...classes: RetentionClass[]) => classes,
      inject: [...RETENTION_CLASS_TYPES],
    },
  ],
  exports: [RetentionService],
})
export class RetentionModule {}
