import { Module } from '@nestjs/common';
import { KeyringModule } from '../../core/keyring/keyring.module';
import { RecordsModule } from '../../core/records/records.module';
import { DisclosureExportRepository } from '../../data/disclosures/disclosure-export.repository';
import { DisclosuresRepository } from '../../data/disclosures/disclosures.repository';
import { DisclosureExporter } from './disclosure-export';
import { DisclosuresController, PersonDisclosuresController } from './disclosures.controller';
import { DisclosuresService } from './disclosures.service';

@Module({
  imports: [KeyringModule, RecordsModule],
  controllers: [DisclosuresController, PersonDisclosuresController],
  providers: [
    DisclosuresService,
    DisclosuresRepository,
    DisclosureExportRepository,
    DisclosureExporter,
  ],
  exports: [DisclosuresService, DisclosuresRepository],
})
export class DisclosuresModule {}
