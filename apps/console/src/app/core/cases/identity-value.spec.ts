import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { IdentityField } from '@harbour/domain';
import { TranslocoService } from '@jsverse/transloco';
import { provideTranslocoTesting } from '../../../testing/i18n';
import { IdentityValue } from './identity-value';

@Component({
  imports: [IdentityValue],
  template: `<app-identity-value [field]="field()" [value]="value()" />`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class Host {
  readonly field = signal<IdentityField>('sex');
  readonly value = signal('female');
}

describe('IdentityValue', () => {
  function render(field: IdentityField, value: string): { text: () => string; root: HTMLElement } {
    TestBed.configureTestingModule({ providers: [provideTranslocoTesting()] });
    const fixture = TestBed.createComponent(Host);
    fixture.componentInstance.field.set(field);
    fixture.componentInstance.value.set(value);
    fixture.detectChanges();
    const text = (): string => {
      fixture.detectChanges();
      return (fixture.nativeElement as HTMLElement).textContent?.trim() ?? '';
    };
    return { text, root: fixture.nativeElement as HTMLElement };
  }

  it('shows sex by its translated label, never the code, and follows the language', () => {
    const { text } = render('sex', 'female');
    expect(text()).toBe('Female');
    TestBed.inject(TranslocoService).setActiveLang('th');
    expect(text()).toBe('หญิง');
    TestBed.inject(TranslocoService).setActiveLang('ko');
    expect(text()).not.toContain('female');
  });

  it('shows a date of birth as a localised date, with the ISO day kept for machines', () => {
    const { text, root } = render('dateOfBirth', '2001-04-09');
    expect(text()).toBe('Apr 9, 2001');
    TestBed.inject(TranslocoService).setActiveLang('th');
    expect(text()).toBe('9 เม.ย. 2544');
    TestBed.inject(TranslocoService).setActiveLang('zh-Hans');
    expect(text()).toBe('2001年4月9日');
    expect(root.querySelector('time')?.getAttribute('datetime')).toBe('2001-04-09');
  });

  it('shows names, phone numbers and values it cannot read as they are', () => {
    expect(render('givenName', 'Lucía').text()).toBe('Lucía');
    TestBed.resetTestingModule();
    expect(render('sex', 'unknown-code').text()).toBe('unknown-code');
    TestBed.resetTestingModule();
    expect(render('dateOfBirth', '09/04/2001').text()).toBe('09/04/2001');
  });
});
