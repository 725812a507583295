import { Module } from '@nestjs/common';
import { ContactsModule } from '../contacts/contacts.module';
import { PersonsModule } from '../persons/persons.module';
import { CanariesController } from './canaries.controller';
import { CanariesService } from './canaries.service';
import { CanaryRegistryModule } from '../../core/canaries/canary-registry.module';

@Module({
  imports: [CanaryRegistryModule, PersonsModule, ContactsModule],
  controllers: [CanariesController],
  providers: [CanariesService],
})
export class CanariesModule {}
