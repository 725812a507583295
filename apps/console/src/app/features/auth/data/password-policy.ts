import type { AbstractControl, ValidationErrors, ValidatorFn } from '@angular/forms';

/** docs/security.md T2: at least 12 characters (MFA is always on), at most 256, no composition rules. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

/** Why the API rejected a new password (`password_rejected`, `fields[].reason`). */
export const PASSWORD_REJECTION_REASONS = [
  'too_short',
  'too_long',
  'common_password',
  'context_word',
  'same_as_current',
] as const;
export type PasswordRejectionReason = (typeof PASSWORD_REJECTION_REASONS)[number];

export const PASSWORD_REASON_KEYS: Readonly<Record<PasswordRejectionReason, string>> = {
  too_short: 'errors.passwordReasons.too_short',
  too_long: 'errors.passwordReasons.too_long',
  common_password: 'errors.passwordReasons.common_password',
  context_word: 'errors.passwordReasons.context_word',
  same_as_current: 'errors.passwordReasons.same_as_current',
};

export function isPasswordRejectionReason(value: string): value is PasswordRejectionReason {
  return (PASSWORD_REJECTION_REASONS as readonly string[]).includes(value);
}

/** Characters as people count them (code points), not UTF-16 units: Thai and emoji count right. */
export function passwordLength(value: string): number {
  return [...value].length;
}

/** Length within the policy; the API checks again, and checks the rest. */
export const passwordLengthValidator: ValidatorFn = (
  control: AbstractControl<string>,
): ValidationErrors | null => {
  const length = passwordLength(control.value);
  if (length === 0) return null;
  if (length < PASSWORD_MIN_LENGTH) return { too_short: true };
  if (length > PASSWORD_MAX_LENGTH) return { too_long: true };
  return null;
};
