import type { EnvironmentProviders } from '@angular/core';
import { importProvidersFrom } from '@angular/core';
import type { Translation } from '@jsverse/transloco';
import { TranslocoTestingModule } from '@jsverse/transloco';
import type { LanguageCode } from '../app/core/i18n/languages';
import { DEFAULT_LANGUAGE, LANGUAGE_CODES } from '../app/core/i18n/languages';
import en from '../assets/i18n/en.json';
import ko from '../assets/i18n/ko.json';
import th from '../assets/i18n/th.json';
import vi from '../assets/i18n/vi.json';
import zhHans from '../assets/i18n/zh-Hans.json';

/** The real translation files, keyed by language code. */
export const TRANSLATIONS: Readonly<Record<LanguageCode, Translation>> = {
  en,
  th,
  vi,
  'zh-Hans': zhHans,
  ko,
};

/** Transloco with the real translation files preloaded, English active, no HTTP. */
export function provideTranslocoTesting(): EnvironmentProviders {
  return importProvidersFrom(
    TranslocoTestingModule.forRoot({
      langs: { ...TRANSLATIONS },
      preloadLangs: true,
      translocoConfig: {
        availableLangs: [...LANGUAGE_CODES],
        defaultLang: DEFAULT_LANGUAGE,
        fallbackLang: DEFAULT_LANGUAGE,
        reRenderOnLangChange: true,
        missingHandler: { useFallbackTranslation: true, logMissingKey: false },
      },
    }),
  );
}
