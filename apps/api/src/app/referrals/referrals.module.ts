import { Module } from '@nestjs/common';
import { KeyringModule } from '../../core/keyring/keyring.module';
import { PartnersController, ReferralsController } from './referrals.controller';
import { ReferralsService } from './referrals.service';

@Module({
  imports: [KeyringModule],
  controllers: [ReferralsController, PartnersController],
  providers: [ReferralsService],
  exports: [ReferralsService],
})
export class ReferralsModule {}
