import { DOCUMENT } from '@angular/common';
import { computed, inject, Injectable, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { TranslocoService } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import type { Language, LanguageCode } from './languages';
import {
  DEFAULT_LANGUAGE,
  isLanguageCode,
  LANGUAGES,
  languageByCode,
  pickLanguage,
} from './languages';

/**
 * The active language. Chosen from the browser's preferences at start-up, changed by the person
 * at run time, and never stored in the browser (see docs/style.md §18): the signed-in account
 * remembers it on the server instead (`AccountLanguage`). Keeps
 * `<html lang>` in step so that screen readers, hyphenation and font selection follow.
 */
@Injectable({ providedIn: 'root' })
export class LanguageService {
  private readonly transloco = inject(TranslocoService);
  private readonly document = inject(DOCUMENT);
  private readonly activeCode = signal<LanguageCode>(DEFAULT_LANGUAGE);

  readonly languages: readonly Language[] = LANGUAGES;
  readonly active = computed(() => languageByCode(this.activeCode()));

  constructor() {
    this.transloco.langChanges$.pipe(takeUntilDestroyed()).subscribe((lang) => {
      if (!isLanguageCode(lang)) return;
      this.activeCode.set(lang);
      this.document.documentElement.lang = lang;
    });
  }

  /** Activates the browser's preferred language and waits for its translations (or failure). */
  async initialise(): Promise<void> {
    const preferences = this.document.defaultView?.navigator.languages ?? [];
    await this.load(pickLanguage(preferences));
  }

  /** Activates `code` and waits for its translations (or failure). */
  async load(code: LanguageCode): Promise<void> {
    this.use(code);
    try {
      await firstValueFrom(this.transloco.load(code));
    } catch {
      // Transloco has already fallen back to English; start the app rather than a blank page.
    }
  }

  use(code: LanguageCode): void {
    this.transloco.setActiveLang(code);
  }
}
