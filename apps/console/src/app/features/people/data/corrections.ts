import {
  IDENTITY_FIELDS,
  type AgeBand,
  type GenderIdentity,
  type IdentityField,
  type LanguageGroup,
  type PersonIdentityInput,
  type PersonView,
  type RegionOfOrigin,
  type SlkSex,
  type UpdatePersonRequest,
} from '@harbour/domain';

/** "Correct details" as its form holds it: categories, and per identity field a value and "clear". */
export interface CorrectionFormValue {
  readonly ageBand: AgeBand;
  readonly regionOfOrigin: RegionOfOrigin;
  readonly languageGroup: LanguageGroup | null;
  readonly genderIdentity: GenderIdentity | null;
  readonly identity: Readonly<Record<Exclude<IdentityField, 'sex'>, string>> & {
    readonly sex: SlkSex | null;
  };
  /** Fields to remove from the record. */
  readonly clear: readonly IdentityField[];
}

/**
 * The PATCH a correction sends: only what changed. Identity fields start from what was revealed
 * on the page (`revealed`), or empty when nothing was: an empty field then means "unchanged",
 * never "remove" — removing is the explicit "clear". Null when nothing changed.
 */
export function correctionRequest(
  person: PersonView,
  revealed: PersonIdentityInput | null,
  value: CorrectionFormValue,
): UpdatePersonRequest | null {
  const request: {
    -readonly [K in keyof UpdatePersonRequest]: UpdatePersonRequest[K];
  } = { version: person.version };
  if (value.ageBand !== person.ageBand) request.ageBand = value.ageBand;
  if (value.regionOfOrigin !== person.regionOfOrigin) request.regionOfOrigin = value.regionOfOrigin;
  if (value.languageGroup !== person.languageGroup) request.languageGroup = value.languageGroup;
  if (value.genderIdentity !== person.genderIdentity) request.genderIdentity = value.genderIdentity;

  const identity: Partial<Record<IdentityField, string | null>> = {};
  for (const field of IDENTITY_FIELDS) {
    const before = revealed?.[field] ?? '';
    if (value.clear.includes(field)) {
      if (person.identityFields.includes(field)) identity[field] = null;
      continue;
    }
    const now = (value.identity[field] ?? '').trim();
    if (now !== '' && now !== before) identity[field] = now;
  }
  if (Object.keys(identity).length > 0) {
    (request as { identity?: unknown }).identity = identity;
  }
  return Object.keys(request).length > 1 ? request : null;
}
