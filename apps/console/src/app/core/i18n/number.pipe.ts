import type { PipeTransform } from '@angular/core';
import { Pipe } from '@angular/core';
import { intlLocale } from './languages';

/** A whole number with the digit grouping of `language` (`Intl`, no locale data in the bundle). */
@Pipe({ name: 'appNumber' })
export class NumberPipe implements PipeTransform {
  transform(value: number | null | undefined, language: string): string {
    if (value === null || value === undefined || !Number.isFinite(value)) return '';
    return new Intl.NumberFormat(intlLocale(language), { maximumFractionDigits: 0 }).format(value);
  }
}
