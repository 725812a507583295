import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { TranslocoPipe } from '@jsverse/transloco';
import { AccountLanguage } from '../core/i18n/account-language.service';
import { LanguageService } from '../core/i18n/language.service';
import type { LanguageCode } from '../core/i18n/languages';

/**
 * The language switcher: each language is listed in its own name and marked with its `lang`, so
 * that it is readable (and read aloud correctly) whatever the current language is.
 */
@Component({
  selector: 'app-language-menu',
  imports: [MatButtonModule, MatIconModule, MatMenuModule, TranslocoPipe],
  templateUrl: './language-menu.html',
  styleUrl: './language-menu.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LanguageMenu {
  private readonly language = inject(LanguageService);
  private readonly account = inject(AccountLanguage);

  protected readonly languages = this.language.languages;
  protected readonly active = this.language.active;

  protected select(code: LanguageCode): void {
    this.account.select(code);
  }
}
