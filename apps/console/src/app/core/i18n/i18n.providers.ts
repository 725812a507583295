import type { EnvironmentProviders } from '@angular/core';
import { isDevMode } from '@angular/core';
import { provideTransloco } from '@jsverse/transloco';
import { DEFAULT_LANGUAGE, LANGUAGE_CODES } from './languages';
import { TranslocoHttpLoader } from './transloco-http.loader';

/**
 * Transloco with translations fetched over HTTP. A key missing from the active language falls
 * back to English, which is complete (a unit test checks it).
 */
export function provideI18n(): EnvironmentProviders[] {
  return provideTransloco({
    config: {
      availableLangs: [...LANGUAGE_CODES],
      defaultLang: DEFAULT_LANGUAGE,
      fallbackLang: DEFAULT_LANGUAGE,
      reRenderOnLangChange: true,
      prodMode: !isDevMode(),
      missingHandler: {
        useFallbackTranslation: true,
        logMissingKey: isDevMode(),
        allowEmpty: false,
      },
    },
    loader: TranslocoHttpLoader,
  });
}
