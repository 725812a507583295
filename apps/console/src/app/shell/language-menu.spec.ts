import { DOCUMENT } from '@angular/common';
import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import type { ComponentFixture } from '@angular/core/testing';
import { TestBed } from '@angular/core/testing';
import { MatMenuHarness } from '@angular/material/menu/testing';
import { TranslocoService } from '@jsverse/transloco';
import { provideAppIcons } from '../core/icons/icons';
import { provideTranslocoTesting } from '../../testing/i18n';
import { LanguageMenu } from './language-menu';

describe('LanguageMenu', () => {
  let fixture: ComponentFixture<LanguageMenu>;
  let menu: MatMenuHarness;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [LanguageMenu],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideTranslocoTesting(),
        provideAppIcons(),
      ],
    });
    TestBed.inject(DOCUMENT).documentElement.lang = 'en';
    fixture = TestBed.createComponent(LanguageMenu);
    menu = await TestbedHarnessEnvironment.loader(fixture).getHarness(
      MatMenuHarness.with({ selector: '[data-testid="language-menu-button"]' }),
    );
  });

  function trigger(): HTMLElement {
    const button = (fixture.nativeElement as HTMLElement).querySelector<HTMLElement>(
      '[data-testid="language-menu-button"]',
    );
    if (button === null) throw new Error('language button not rendered');
    return button;
  }

  it('labels the button with the current language, in the current language', async () => {
    await fixture.whenStable();
    expect(trigger().textContent).toContain('English');
    // The accessible name starts with the visible text (WCAG 2.5.3 Label in Name).
    expect(trigger().getAttribute('aria-label')).toBe('English – change language');
  });

  it('lists every language in its own name, marked with its lang', async () => {
    await menu.open();
    const items = await menu.getItems();

    expect(await Promise.all(items.map((item) => item.getText()))).toEqual([
      'English',
      'ไทย',
      'Tiếng Việt',
      '简体中文',
      '한국어',
    ]);
    const options = Array.from(
      TestBed.inject(DOCUMENT).querySelectorAll<HTMLElement>('[data-testid^="language-option-"]'),
    );
    expect(options.map((option) => [option.dataset['testid'], option.lang])).toEqual([
      ['language-option-en', 'en'],
      ['language-option-th', 'th'],
      ['language-option-vi', 'vi'],
      ['language-option-zh-Hans', 'zh-Hans'],
      ['language-option-ko', 'ko'],
    ]);
    expect(options.map((option) => option.getAttribute('aria-checked'))).toEqual([
      'true',
      'false',
      'false',
      'false',
      'false',
    ]);
  });

  it('switches the language at run time and updates <html lang>', async () => {
    await menu.clickItem({ text: 'ไทย' });
    await fixture.whenStable();

    expect(TestBed.inject(TranslocoService).getActiveLang()).toBe('th');
    expect(TestBed.inject(DOCUMENT).documentElement.lang).toBe('th');
    expect(trigger().textContent).toContain('ไทย');
    expect(trigger().getAttribute('aria-label')).toBe('ไทย – เปลี่ยนภาษา');

    await menu.clickItem({ text: '简体中文' });
    await fixture.whenStable();
    expect(TestBed.inject(DOCUMENT).documentElement.lang).toBe('zh-Hans');
    expect(trigger().getAttribute('aria-label')).toBe('简体中文 – 更改语言');
  });
});
