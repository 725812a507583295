import { HttpClient } from '@angular/common/http';
import { computed, effect, inject, Injectable, untracked } from '@angular/core';
import type { SetLanguageRequest } from '@harbour/domain';
import { firstValueFrom } from 'rxjs';
import { SessionStore } from '../auth/session.store';
import { LanguageService } from './language.service';
import type { LanguageCode } from './languages';
import { isLanguageCode } from './languages';

/** `PUT`: the signed-in person's own language, remembered with their account. */
export const LANGUAGE_API = '/api/me/language';

/**
 * The language remembered per account, on the server (`staff_user.language`), never in the
 * browser. Before sign-in the browser's preference applies (`LanguageService.initialise`); once
 * signed in, the account's language when it has one. A choice in the language menu applies at
 * once and, when signed in, is saved to the account; a choice made on the sign-in page is saved
 * at sign-in. Signing out keeps the screen's language (the person who just left is the likeliest
 * reader of the sign-in page); the next account's own choice replaces it.
 */
@Injectable({ providedIn: 'root' })
export class AccountLanguage {
  private readonly language = inject(LanguageService);
  private readonly session = inject(SessionStore);
  private readonly http = inject(HttpClient);
  /** A language chosen in the menu before sign-in, to save once signed in. */
  private chosenSignedOut: LanguageCode | null = null;

  /** The account's language from the session (null: signed out, or never chosen). */
  private readonly account = computed(() => {
    const language = this.session.user()?.language ?? null;
    return isLanguageCode(language) ? language : null;
  });

  constructor() {
    // Every new session (sign-in, "stay signed in", another account) brings its language.
    effect(() => {
      const signedIn = this.session.authenticated();
      const account = this.account();
      untracked(() => void this.follow(signedIn, account));
    });
  }

  /**
   * Applies the signed-in account's language (or saves a choice made before sign-in) and waits
   * for its translations: called at start-up once the session is known, so that the first screen
   * is already in the person's language.
   */
  async applySession(): Promise<void> {
    await this.follow(this.session.authenticated(), this.account());
  }

  /** The person's choice in the language menu: applied at once, saved to the account if signed in. */
  select(code: LanguageCode): void {
    this.language.use(code);
    if (this.session.authenticated()) this.save(code);
    else this.chosenSignedOut = code;
  }

  private async follow(signedIn: boolean, account: LanguageCode | null): Promise<void> {
    if (!signedIn) return;
    const chosen = this.chosenSignedOut;
    this.chosenSignedOut = null;
    if (chosen !== null && chosen !== account) this.save(chosen);
    else if (account !== null && account !== this.language.active().code)
      await this.language.load(account);
  }

  private save(code: LanguageCode): void {
    const body: SetLanguageRequest = { language: code };
    firstValueFrom(this.http.put<void>(LANGUAGE_API, body)).then(
      // The session now carries the new language, so it stays when the session is checked again.
      () => this.session.updateUser({ language: code }),
      // Not saved (offline, signed out meanwhile): the screen keeps the choice for now.
      () => undefined,
    );
  }
}
