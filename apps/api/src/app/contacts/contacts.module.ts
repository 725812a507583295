import { Module } from '@nestjs/common';
import { KeyringModule } from '../../core/keyring/keyring.module';
import { ContactsController, NeedsController } from './contacts.controller';
import { ContactsService } from './contacts.service';

@Module({
  imports: [KeyringModule],
  controllers: [ContactsController, NeedsController],
  providers: [ContactsService],
  exports: [ContactsService],
})
export class ContactsModule {}
