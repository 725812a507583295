import type { PipeTransform } from '@angular/core';
import { Pipe } from '@angular/core';
import type { TextKey } from '../data/report-format';
import { formatMonth, quarterText } from '../data/report-format';

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

/**
 * A quarter (`2026-Q3`) as a translation key and its parameters in `language` (the year in the
 * language's calendar): `{{ q.key | transloco: q.params }}`.
 */
@Pipe({ name: 'appQuarter' })
export class QuarterPipe implements PipeTransform {
  transform(value: string, language: string): TextKey {
    return quarterText(value, language);
  }
}
