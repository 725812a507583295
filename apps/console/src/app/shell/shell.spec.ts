import type { ComponentFixture } from '@angular/core/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { provideAppIcons } from '../core/icons/icons';
import { provideTranslocoTesting } from '../../testing/i18n';
import { Shell } from './shell';

describe('Shell', () => {
  let fixture: ComponentFixture<Shell>;
  let root: HTMLElement;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [Shell],
      providers: [provideRouter([]), provideTranslocoTesting(), provideAppIcons()],
    });
    fixture = TestBed.createComponent(Shell);
    root = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  });

  it('has a banner with the product name, a labelled navigation and a main region', () => {
    expect(root.querySelector('header [data-testid="app-title"]')?.textContent.trim()).toBe(
      'Harbour',
    );
    expect(root.querySelector('nav')?.getAttribute('aria-label')).toBe('Main navigation');
    expect(root.querySelectorAll('main#main-content')).toHaveLength(1);
  });

  it('moves focus to the main content from the skip link', () => {
    const skip = root.querySelector<HTMLAnchorElement>('[data-testid="skip-link"]');
    expect(skip?.textContent.trim()).toBe('Skip to main content');
    expect(skip?.getAttribute('href')).toBe('#main-content');

    skip?.click();

    expect(document.activeElement).toBe(root.querySelector('main'));
  });

  it('opens and closes the navigation from the toolbar on narrow screens', async () => {
    const toggle = root.querySelector<HTMLButtonElement>('[data-testid="nav-toggle"]');
    expect(toggle?.getAttribute('aria-label')).toBe('Open navigation');
    expect(toggle?.getAttribute('aria-expanded')).toBe('false');

    toggle?.click();
    await fixture.whenStable();

    expect(toggle?.getAttribute('aria-expanded')).toBe('true');
    expect(toggle?.getAttribute('aria-label')).toBe('Close navigation');
  });
});
