import type { PipeTransform } from '@angular/core';
import { Pipe } from '@angular/core';
import { intlLocale } from './languages';

/**
 * The translation keys of one message in its plural forms. The five languages need two at most:
 * English says "1 person" and "2 people"; Thai, Vietnamese, Chinese and Korean do not inflect
 * for number (`Intl.PluralRules` answers `other` for every count), and write both forms alike.
 * Written out in full where used, so that the translation check sees both keys.
 */
export interface PluralKeys {
  readonly one: string;
  readonly other: string;
}

/**
 * The key of the form `count` needs in `language` (`Intl.PluralRules`): then translate it, with
 * the count formatted by `appNumber`, e.g.
 * `{{ keys | appPlural: n : lang | transloco: { count: n | appNumber: lang } }}`.
 */
@Pipe({ name: 'appPlural' })
export class PluralPipe implements PipeTransform {
  transform(keys: PluralKeys, count: number, language: string): string {
    return new Intl.PluralRules(intlLocale(language)).select(count) === 'one'
      ? keys.one
      : keys.other;
  }
}
