import { TestBed } from '@angular/core/testing';
import en from '../../../assets/i18n/en.json';
import { provideTranslocoTesting } from '../../../testing/i18n';
import { provideAppIcons } from '../icons/icons';
import { AppError } from '../http/app-error';
import { FormError } from './form-error';

describe('FormError', () => {
  const refusal = new AppError('validation_failed', 400, 'ref-1', {
    fields: [
      {
        path: 'people.1.identity.dateOfBirth',
        reason: 'notInFuture',
        limits: { latest: '2026-12-06' },
      },
      { path: 'scope', reason: 'isIn' },
    ],
  });

  function render(unmatched?: AppError['details']['fields'] | null): HTMLElement {
    TestBed.configureTestingModule({ providers: [provideTranslocoTesting(), provideAppIcons()] });
    const fixture = TestBed.createComponent(FormError);
    fixture.componentRef.setInput('error', refusal);
    if (unmatched !== undefined) fixture.componentRef.setInput('unmatched', unmatched);
    fixture.detectChanges();
    return fixture.nativeElement as HTMLElement;
  }

  it('names each refused field in words with what to do, never its path or reason', () => {
    const text = render().textContent;
    expect(text).toContain(en.errors.checkFields);
    expect(text).toContain(`${en.errors.fieldName.dateOfBirth}:`);
    expect(text).toContain('Enter a date on or before Dec 6, 2026.');
    expect(text).toContain(`${en.errors.fieldName.other}:`);
    expect(text).toContain(en.errors.field.choose);
    expect(text).not.toMatch(/dateOfBirth|scope|notInFuture|isIn|validation_failed/);
  });

  it('shows nothing when every refused field is marked on its control', () => {
    expect(render([]).textContent.trim()).toBe('');
  });

  it('names only the fields no control took', () => {
    const text = render([{ path: 'scope', reason: 'isIn' }]).textContent;
    expect(text).toContain(en.errors.field.choose);
    expect(text).not.toContain(en.errors.fieldName.dateOfBirth);
  });
});
