import { Module } from '@nestjs/common';
import { RecordsModule } from '../../core/records/records.module';
import { PersonsController } from './persons.controller';
import { PersonsService } from './persons.service';
import { SimilarNameLookup } from './similar-name-lookup';

@Module({
  imports: [RecordsModule],
  controllers: [PersonsController],
  providers: [PersonsService, SimilarNameLookup],
})
export class PersonsModule {}
