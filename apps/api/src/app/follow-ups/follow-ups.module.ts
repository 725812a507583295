import { Module } from '@nestjs/common';
import { KeyringModule } from '../../core/keyring/keyring.module';
import { FollowUpsRepository } from '../../data/follow-ups/follow-ups.repository';
import { DayController, FollowUpsController } from './follow-ups.controller';
import { FollowUpsService } from './follow-ups.service';
import { StaleReferralsTask } from './stale-referrals.task';

@Module({
  imports: [KeyringModule],
  controllers: [FollowUpsController, DayController],
  providers: [FollowUpsService, FollowUpsRepository, StaleReferralsTask],
  exports: [FollowUpsService, FollowUpsRepository],
})
export class FollowUpsModule {}
