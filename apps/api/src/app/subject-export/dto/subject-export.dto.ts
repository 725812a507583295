import { IsIn, IsOptional } from 'class-validator';
import {
  MAX_SUBJECT_EXPORT_PURPOSE_LENGTH,
  SUBJECT_EXPORT_FORMATS,
  SUBJECT_EXPORT_LANGUAGES,
  type SubjectExportFormat,
  type SubjectExportLanguage,
  type SubjectExportRequest,
} from '@harbour/domain';
import { IsText } from '../../../infra/http/validation-rules';

/** What to export and why (the purpose is sealed under the person's key, never logged). */
export class SubjectExportDto implements SubjectExportRequest {
  @IsIn(SUBJECT_EXPORT_LANGUAGES) language!: SubjectExportLanguage;
  @IsIn(SUBJECT_EXPORT_FORMATS) format!: SubjectExportFormat;
  @IsText(MAX_SUBJECT_EXPORT_PURPOSE_LENGTH) purpose!: string;
}

/** The receipt's format and language (English JSON when not given). */
export class ErasureReceiptQueryDto {
  @IsOptional() @IsIn(SUBJECT_EXPORT_FORMATS) format?: SubjectExportFormat;
  @IsOptional() @IsIn(SUBJECT_EXPORT_LANGUAGES) language?: SubjectExportLanguage;
}
