import type { PipeTransform } from '@angular/core';
import { Pipe } from '@angular/core';
import type { ReportValueFormat } from '../data/report-format';
import { formatReportValue } from '../data/report-format';

/** A published number in `language`; '' for one not published (the caller shows its marker). */
@Pipe({ name: 'appReportValue' })
export class ReportValuePipe implements PipeTransform {
  transform(value: number | null, format: ReportValueFormat, language: string): string {
    return value === null ? '' : formatReportValue(value, format, language);
  }
}
