import { Module } from '@nestjs/common';
import { RecordsModule } from '../../core/records/records.module';
import { ContactsController, NeedsController } from './contacts.controller';
import { ContactsService } from './contacts.service';

@Module({
  imports: [RecordsModule],
  controllers: [ContactsController, NeedsController],
  providers: [ContactsService],
})
export class ContactsModule {}
