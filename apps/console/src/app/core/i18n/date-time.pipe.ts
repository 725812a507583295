import type { PipeTransform } from '@angular/core';
import { Pipe } from '@angular/core';
import { intlLocale } from './languages';

/** How precisely a time is shown: to the minute, or (for the access log) to the second. */
export type TimePrecision = 'minutes' | 'seconds';

/**
 * An ISO timestamp as a date and time in `language` (pass the active language so the text changes
 * with it). `Intl` knows every language we ship, with no locale data in the bundle.
 */
@Pipe({ name: 'appDateTime' })
export class DateTimePipe implements PipeTransform {
  transform(
    value: string | null | undefined,
    language: string,
    precision: TimePrecision = 'minutes',
  ): string {
    if (value === null || value === undefined) return '';
    const time = Date.parse(value);
    if (Number.isNaN(time)) return '';
    return new Intl.DateTimeFormat(intlLocale(language), {
      dateStyle: 'medium',
      timeStyle: precision === 'seconds' ? 'medium' : 'short',
    }).format(time);
  }
}
