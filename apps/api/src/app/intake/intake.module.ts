import { Module } from '@nestjs/common';
import { RecordsModule } from '../../core/records/records.module';
import { IntakeController } from './intake.controller';

@Module({ imports: [RecordsModule], controllers: [IntakeController] })
export class IntakeModule {}
