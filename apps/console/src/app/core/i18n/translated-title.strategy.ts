import { inject, Injectable, effect, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { Title } from '@angular/platform-browser';
import type { RouterStateSnapshot } from '@angular/router';
import { TitleStrategy } from '@angular/router';
import { TranslocoService } from '@jsverse/transloco';

/**
 * Route `title`s are translation keys. The document title is "<page> · Harbour" in the active
 * language, and follows language changes without a navigation.
 */
@Injectable({ providedIn: 'root' })
export class TranslatedTitleStrategy extends TitleStrategy {
  private readonly title = inject(Title);
  private readonly transloco = inject(TranslocoService);
  private readonly pageKey = signal<string | null>(null);
  /** Emits whenever the active language's translations are (re)loaded. */
  private readonly translation = toSignal(this.transloco.selectTranslation());

  constructor() {
    super();
    effect(() => {
      this.translation();
      const key = this.pageKey();
      const appName = this.transloco.translate('app.name');
      this.title.setTitle(key === null ? appName : `${this.transloco.translate(key)} · ${appName}`);
    });
  }

  override updateTitle(snapshot: RouterStateSnapshot): void {
    this.pageKey.set(this.buildTitle(snapshot) ?? null);
  }
}
