import type { PersonIdentityInput, SlkSex } from '@harbour/domain';

/** A new person's identity as a form holds it (text fields may be empty). */
export interface IdentityFormValue {
  readonly givenName: string;
  readonly familyName: string;
  readonly alias: string;
  readonly dateOfBirth: string;
  readonly sex: SlkSex | null;
  readonly phone?: string;
}

const TEXT_FIELDS = ['givenName', 'familyName', 'alias', 'dateOfBirth', 'phone'] as const;

/** The identity to send: trimmed values, empty ones left out; undefined when nothing is given. */
export function identityInput(value: IdentityFormValue): PersonIdentityInput | undefined {
  const identity: Record<string, string> = {};
  for (const field of TEXT_FIELDS) {
    const text = value[field]?.trim() ?? '';
    if (text !== '') identity[field] = text;
  }
  if (value.sex !== null) identity['sex'] = value.sex;
  return Object.keys(identity).length > 0 ? identity : undefined;
}
