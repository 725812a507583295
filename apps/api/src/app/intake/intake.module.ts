import { Module } from '@nestjs/common';
import { ContactsModule } from '../contacts/contacts.module';
import { PersonsModule } from '../persons/persons.module';
import { IntakeController } from './intake.controller';

@Module({ imports: [PersonsModule, ContactsModule], controllers: [IntakeController] })
export class IntakeModule {}
