import { HttpClient, HttpContext } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { Translation, TranslocoLoader } from '@jsverse/transloco';
import type { Observable } from 'rxjs';
import { SHOW_ERROR_MESSAGE } from '../http/http-context';

/**
 * Loads `/assets/i18n/<lang>.json` from our own origin (absolute path: there is no `<base>`
 * element, and deep links must still find the files). Failures are not shown as a snack bar,
 * which could not be translated anyway; Transloco falls back to English.
 */
@Injectable({ providedIn: 'root' })
export class TranslocoHttpLoader implements TranslocoLoader {
  private readonly http = inject(HttpClient);

  getTranslation(lang: string): Observable<Translation> {
    return this.http.get<Translation>(`/assets/i18n/${encodeURIComponent(lang)}.json`, {
      context: new HttpContext().set(SHOW_ERROR_MESSAGE, false),
    });
  }
}
