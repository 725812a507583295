import type { AbstractControl, ValidationErrors } from '@angular/forms';

/** People type or paste codes as `123 456` or `123-456`: keep the digits. */
export function normaliseTotp(value: string): string {
  return value.replace(/[\s-]/g, '');
}

/** A TOTP code: six digits (docs/security.md T5), spaces and a dash allowed in between. */
export function totpValidator(control: AbstractControl<string>): ValidationErrors | null {
  const value = control.value;
  if (value === '') return null;
  return /^\d{6}$/.test(normaliseTotp(value)) ? null : { totp: true };
}
