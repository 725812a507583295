import { Module } from '@nestjs/common';
import { RecordsModule } from '../../core/records/records.module';
import { DisclosuresRepository } from '../../data/disclosures/disclosures.repository';
import { SubjectExportRepository } from '../../data/subject-export/subject-export.repository';
import { SubjectExportController } from './subject-export.controller';
import { SubjectExportService } from './subject-export.service';

/** A person's own data and their erasure receipt, as downloadable files. */
@Module({
  imports: [RecordsModule],
  controllers: [SubjectExportController],
  providers: [SubjectExportService, SubjectExportRepository, DisclosuresRepository],
})
export class SubjectExportModule {}
