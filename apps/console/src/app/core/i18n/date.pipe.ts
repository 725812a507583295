import type { PipeTransform } from '@angular/core';
import { Pipe } from '@angular/core';
import { intlLocale } from './languages';

/**
 * A calendar day (`YYYY-MM-DD`, no time zone: the day a contact happened) as a date in
 * `language` (pass the active language so the text changes with it). Formatted as a UTC
 * midnight in UTC, so no time zone can move it to the day before or after.
 */
@Pipe({ name: 'appDate' })
export class DatePipe implements PipeTransform {
  transform(value: string | null | undefined, language: string): string {
    if (value === null || value === undefined) return '';
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (match === null) return '';
    const time = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
    return new Intl.DateTimeFormat(intlLocale(language), {
      dateStyle: 'medium',
      timeZone: 'UTC',
    }).format(time);
  }
}
