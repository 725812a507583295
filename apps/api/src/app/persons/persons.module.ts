import { Module } from '@nestjs/common';
import { ConsentsModule } from '../consents/consents.module';
import { KeyringModule } from '../../core/keyring/keyring.module';
import { PersonsController } from './persons.controller';
import { PersonsService } from './persons.service';

@Module({
  imports: [KeyringModule, ConsentsModule],
  controllers: [PersonsController],
  providers: [PersonsService],
  exports: [PersonsService],
})
export class PersonsModule {}
