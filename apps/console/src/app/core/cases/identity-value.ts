import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import type { IdentityField } from '@harbour/domain';
import { SLK_SEXES, type SlkSex } from '@harbour/domain';
import { TranslocoPipe } from '@jsverse/transloco';
import { DatePipe } from '../i18n/date.pipe';
import { sexLabels } from '../i18n/domain-labels';
import { LanguageService } from '../i18n/language.service';

/**
 * One revealed identity value as a person reads it, in the active language: a date of birth as a
 * localised date (`2001-04-09` → "9 Apr 2001", "9 เม.ย. 2544"), sex by its translated label
 * (`female` → "Female", "หญิง"), names and phone numbers as typed. A value this console cannot
 * read (not a calendar day, a code it does not know) is shown as it is rather than hidden.
 */
function isSlkSex(value: string): value is SlkSex {
  return (SLK_SEXES as readonly string[]).includes(value);
}

@Component({
  selector: 'app-identity-value',
  imports: [DatePipe, TranslocoPipe],
  template: `
    @switch (shown().kind) {
      @case ('date') {
        <time [attr.datetime]="value()">{{ value() | appDate: language().code }}</time>
      }
      @case ('label') {
        {{ shown().text | transloco }}
      }
      @default {
        {{ shown().text }}
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class IdentityValue {
  readonly field = input.required<IdentityField>();
  readonly value = input.required<string>();

  protected readonly language = inject(LanguageService).active;

  protected readonly shown = computed<{ kind: 'date' | 'label' | 'text'; text: string }>(() => {
    const value = this.value();
    switch (this.field()) {
      case 'dateOfBirth':
        return /^\d{4}-\d{2}-\d{2}$/.test(value)
          ? { kind: 'date', text: value }
          : { kind: 'text', text: value };
      case 'sex':
        return isSlkSex(value)
          ? { kind: 'label', text: sexLabels[value] }
          : { kind: 'text', text: value };
      default:
        return { kind: 'text', text: value };
    }
  });
}
