import type { PipeTransform } from '@angular/core';
import { Pipe } from '@angular/core';
import { formatMonth } from '../data/report-format';

/** A month (`YYYY-MM`) in `language` (pass the active language so the text changes with it). */
@Pipe({ name: 'appMonth' })
export class MonthPipe implements PipeTransform {
  transform(
    value: string | null | undefined,
    language: string,
    style: 'short' | 'long' = 'short',
  ): string {
    return value === null || value === undefined ? '' : formatMonth(value, language, style);
  }
}
