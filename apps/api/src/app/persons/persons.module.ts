import { Module } from '@nestjs/common';
import { RecordsModule } from '../../core/records/records.module';
import { PersonsController } from './persons.controller';
import { PersonsService } from './persons.service';

@Module({
  imports: [RecordsModule],
  controllers: [PersonsController],
  providers: [PersonsService],
})
export class PersonsModule {}
