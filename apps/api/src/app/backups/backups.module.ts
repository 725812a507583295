import { Module } from '@nestjs/common';
import { BackupRunsRepository } from '../../data/backups/backup-runs.repository';
import { BackupsController } from './backups.controller';
import { BackupsService } from './backups.service';

@Module({
  controllers: [BackupsController],
  providers: [BackupsService, BackupRunsRepository],
})
export class BackupsModule {}
