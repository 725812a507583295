import type { AbstractControl, ValidationErrors, ValidatorFn } from '@angular/forms';
import { Validators } from '@angular/forms';

// Angular's static validators, as plain functions: passing `Validators.required` around as a
// method reference is what `@typescript-eslint/unbound-method` rightly warns about.

export const required: ValidatorFn = (control: AbstractControl): ValidationErrors | null =>
  Validators.required(control);

export const requiredTrue: ValidatorFn = (control: AbstractControl): ValidationErrors | null =>
  Validators.requiredTrue(control);

export const emailAddress: ValidatorFn = (control: AbstractControl): ValidationErrors | null =>
  Validators.email(control);

/** A whole number; an empty value is left to `required`. */
export const wholeNumber: ValidatorFn = (control: AbstractControl): ValidationErrors | null => {
  const value: unknown = control.value;
  if (value === null || value === undefined || value === '') return null;
  return Number.isInteger(value) ? null : { wholeNumber: true };
};
