import type { PipeTransform } from '@angular/core';
import { Pipe } from '@angular/core';
import type { ReportValueFormat } from '../data/report-format';
import { formatReportValue } from '../data/report-format';

/** A published number in `language`; '' for a suppressed one (the caller shows "< k"). */
@Pipe({ name: 'appReportValue' })
export class ReportValuePipe implements PipeTransform {
  transform(value: number | null, format: ReportValueFormat, language: string): string {
    return value === null ? '' : formatReportValue(value, format, language);
  }
}
