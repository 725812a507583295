import { Module } from '@nestjs/common';
import { RecordsModule } from '../../core/records/records.module';
import { KeyWorkersController, PersonKeyWorkersController } from './key-workers.controller';
import { KeyWorkersService } from './key-workers.service';

@Module({
  imports: [RecordsModule],
  controllers: [PersonKeyWorkersController, KeyWorkersController],
  providers: [KeyWorkersService],
})
export class KeyWorkersModule {}
