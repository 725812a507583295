import type { PipeTransform } from '@angular/core';
import { inject, Pipe } from '@angular/core';
import type { ValidationErrors } from '@angular/forms';
import { TranslocoService } from '@jsverse/transloco';
import type { FieldMessage } from './field-errors';
import { controlMessage } from './field-errors';

/** A calendar day as a localised date (UTC midnight in UTC: no time zone moves it). */
function localDate(value: string, language: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match === null) return value;
  const time = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeZone: 'UTC' }).format(time);
}

/** The translated text of a field message, its days and numbers localised for `language`. */
export function translateFieldMessage(
  transloco: TranslocoService,
  message: FieldMessage,
  language: string = transloco.getActiveLang(),
): string {
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.params)) {
    if (message.dates?.includes(name) && typeof value === 'string') {
      params[name] = localDate(value, language);
    } else if (typeof value === 'number') {
      params[name] = new Intl.NumberFormat(language, { maximumFractionDigits: 0 }).format(value);
    } else params[name] = String(value);
  }
  return transloco.translate(`errors.field.${message.key}`, params, language);
}

/**
 * `{{ control.errors | fieldError }}` inside a `mat-error`: what to do about the control's
 * error, in the active language (impure: it follows a language switch).
 */
@Pipe({ name: 'fieldError', pure: false })
export class FieldErrorPipe implements PipeTransform {
  private readonly transloco = inject(TranslocoService);

  transform(errors: ValidationErrors | null | undefined): string {
    const message = controlMessage(errors ?? null);
    return message === null ? '' : translateFieldMessage(this.transloco, message);
  }
}
