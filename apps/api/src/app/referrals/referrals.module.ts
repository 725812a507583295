import { Module } from '@nestjs/common';
import { KeyringModule } from '../../core/keyring/keyring.module';
import { ContactsRepository } from '../../data/contacts/contacts.repository';
import { PersonsRepository } from '../../data/persons/persons.repository';
import { PartnersRepository } from '../../data/referrals/partners.repository';
import { ReferralsRepository } from '../../data/referrals/referrals.repository';
import { PartnersService } from './partners.service';
import { PartnersController, ReferralsController } from './referrals.controller';
import { ReferralsService } from './referrals.service';

@Module({
  imports: [KeyringModule],
  controllers: [ReferralsController, PartnersController],
  providers: [
    ReferralsService,
    PartnersService,
    ReferralsRepository,
    PartnersRepository,
    ContactsRepository,
    PersonsRepository,
  ],
  exports: [ReferralsService, PartnersService],
})
export class ReferralsModule {}
