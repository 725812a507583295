import type { AbstractControl, ValidationErrors, ValidatorFn } from '@angular/forms';
import type { FieldError, FieldLimits } from '@harbour/domain';
import { EARLIEST_CALENDAR_DAY, parseIsoDate } from '@harbour/domain';

/**
 * Field errors people understand (one mapping for every form): an API refusal (`path`, `reason`,
 * `limits`) or a browser-side validator's error becomes a translation key under `errors.field`
 * with its bounds as parameters ("Enter a date between 1 Jan 1900 and 6 Dec 2026"), and an API
 * path becomes the form control it concerns. A raw path or reason is never shown.
 */

/** A message to translate: `key` under `errors.field`, its parameters still raw (ISO days, numbers). */
export interface FieldMessage {
  readonly key: string;
  readonly params: Readonly<Record<string, string | number>>;
  /** Which parameters are calendar days (`YYYY-MM-DD`), to be shown as localised dates. */
  readonly dates?: readonly string[];
  /** Which parameters are numbers, to be shown with localised digits. */
  readonly numbers?: readonly string[];
}

/** Reasons that are about a calendar day: their limits are days. */
const DATE_REASONS = new Set([
  'isDate',
  'isIso8601',
  'notInFuture',
  'notToday',
  'beforePerson',
  'dateRange',
  'tooFarAhead',
]);

/**
 * Every field reason the API can give (class-validator's rule names, the validation pipe's own
 * and the services'), and the one message that says what to do about it. Reasons with bounds
 * pick a more precise message from their `limits` (see `fieldMessage`).
 */
export const FIELD_REASON_KEYS: Readonly<Record<string, string>> = {
  // Something missing.
  required: 'required',
  isDefined: 'required',
  isNotEmpty: 'required',
  isString: 'required',
  empty: 'required',
  notNull: 'required',
  requiredTrue: 'required',
  // Text length and list size.
  minLength: 'tooShort',
  maxLength: 'tooLong',
  arrayMinSize: 'chooseMore',
  arrayMaxSize: 'chooseFewer',
  max50: 'chooseFewer',
  // Numbers.
  min: 'number',
  max: 'number',
  isInt: 'wholeNumber',
  wholeNumber: 'wholeNumber',
  int32: 'number',
  finiteNumber: 'number',
  range: 'number',
  integer: 'wholeNumber',
  forever: 'periodRequired',
  // Calendar days.
  isDate: 'date',
  isIso8601: 'date',
  notInFuture: 'date',
  dateRange: 'date',
  notToday: 'today',
  beforePerson: 'date',
  tooFarAhead: 'tooFarAhead',
  beforePeriodFrom: 'beforeStart',
  above_to: 'beforeStart',
  // Choices and forms of text.
  isIn: 'choose',
  isEnum: 'choose',
  isBoolean: 'choose',
  isArray: 'choose',
  unknown_value: 'choose',
  not_supported: 'choose',
  one_filter_at_a_time: 'oneFilter',
  isEmail: 'email',
  email: 'email',
  isPhoneNumber: 'phone',
  matches: 'format',
  format: 'format',
  invalid: 'format',
  isUuid: 'format',
  nestedValidation: 'format',
  isObject: 'format',
  unknown_property: 'format',
  // Records the field points at.
  unknown: 'unknownRecord',
  erased: 'erased',
  otherPerson: 'otherPerson',
  personOrContact: 'personOrContact',
  // Contacts and people.
  groupHasNoPerson: 'groupHasNoPerson',
  groupHeadcount: 'groupHeadcount',
  individualHeadcount: 'individualHeadcount',
  nameAliasPhoneOrCode: 'nameAliasPhoneOrCode',
  nameAliasOrPhone: 'nameAliasOrPhone',
  noneRated: 'noneRated',
  duplicate: 'duplicate',
  // Staff and key workers.
  sameAsFrom: 'sameAsFrom',
  notHeldByFrom: 'notHeldByFrom',
  holdsNoPeople: 'holdsNoPeople',
  auditor_combined: 'auditorCombined',
  // Sign-in and the access log.
  exactly_one_of_code_or_recoveryCode: 'codeOrRecoveryCode',
  no_enrolment_in_progress: 'noEnrolment',
  not_below_tree_size: 'auditRange',
  pruned: 'auditRange',
  not_closed: 'notClosed',
  no: 'required',
};

/** The translation key (under `errors.field`) of `reason`; an unknown reason gets `invalid`. */
export function fieldReasonKey(reason: string): string {
  return FIELD_REASON_KEYS[reason] ?? 'invalid';
}

/** What to say about a failed field: the reason's message, made precise by its bounds. */
export function fieldMessage(reason: string, limits: FieldLimits = {}): FieldMessage {
  const key = fieldReasonKey(reason);
  if (DATE_REASONS.has(reason) || key === 'date') return dateMessage(key, limits);
  const { minLength, maxLength, min, max } = limits;
  if (key === 'tooShort' && minLength !== undefined) {
    return { key: 'minLength', params: { min: minLength }, numbers: ['min'] };
  }
  if (key === 'tooLong' && maxLength !== undefined) {
    return { key: 'maxLength', params: { max: maxLength }, numbers: ['max'] };
  }
  if (key === 'chooseMore' && minLength !== undefined) {
    return { key: 'chooseAtLeast', params: { min: minLength }, numbers: ['min'] };
  }
  if (key === 'chooseFewer' && maxLength !== undefined) {
    return { key: 'chooseAtMost', params: { max: maxLength }, numbers: ['max'] };
  }
  if (key === 'number' || key === 'wholeNumber') {
    if (min !== undefined && max !== undefined) {
      return { key: 'numberBetween', params: { min, max }, numbers: ['min', 'max'] };
    }
    if (min !== undefined) return { key: 'numberAtLeast', params: { min }, numbers: ['min'] };
    if (max !== undefined) return { key: 'numberAtMost', params: { max }, numbers: ['max'] };
  }
  return { key, params: {} };
}

function dateMessage(key: string, { earliest, latest }: FieldLimits): FieldMessage {
  if (key !== 'date') return { key, params: {} };
  if (earliest !== undefined && latest !== undefined) {
    return { key: 'dateBetween', params: { earliest, latest }, dates: ['earliest', 'latest'] };
  }
  if (earliest !== undefined) return { key: 'dateFrom', params: { earliest }, dates: ['earliest'] };
  if (latest !== undefined) return { key: 'dateUntil', params: { latest }, dates: ['latest'] };
  return { key: 'date', params: {} };
}

/**
 * The message for a control's errors, the first that applies: an API refusal put there by
 * `applyFieldErrors`, else Angular's and Harbour's validators with their bounds.
 */
export function controlMessage(errors: ValidationErrors | null): FieldMessage | null {
  if (errors === null) return null;
  const api = errors['api'] as { reason: string; limits?: FieldLimits } | undefined;
  if (api !== undefined) return fieldMessage(api.reason, api.limits);
  // An older form's own mark for an API refusal: the reason alone.
  const server: unknown = errors['server'];
  if (typeof server === 'string') return fieldMessage(server);
  if (errors['required'] !== undefined) return fieldMessage('required');
  const minlength = errors['minlength'] as { requiredLength: number } | undefined;
  if (minlength !== undefined) {
    return fieldMessage('minLength', { minLength: minlength.requiredLength });
  }
  const maxlength = errors['maxlength'] as { requiredLength: number } | undefined;
  if (maxlength !== undefined) {
    return fieldMessage('maxLength', { maxLength: maxlength.requiredLength });
  }
  const dateRange = errors['dateRange'] as FieldLimits | undefined;
  if (dateRange !== undefined) return fieldMessage('dateRange', dateRange);
  const min = errors['min'] as { min: number } | undefined;
  const max = errors['max'] as { max: number } | undefined;
  if (min !== undefined || max !== undefined) {
    return fieldMessage('min', {
      ...(min === undefined ? {} : { min: min.min }),
      ...(max === undefined ? {} : { max: max.max }),
    });
  }
  const [first] = Object.keys(errors);
  return first === undefined ? null : fieldMessage(first);
}

/**
 * A calendar day (`YYYY-MM-DD`) between `earliest` (default 1 Jan 1900, as the API) and
 * `latest()` (asked at each check: "today" moves), else `dateRange` with both bounds. Empty is
 * left to `required`. The bounds are those the API checks, so the request never gets that far.
 */
export function dateInRange(
  latest: () => string | undefined,
  earliest: string = EARLIEST_CALENDAR_DAY,
): ValidatorFn {
  return (control: AbstractControl): ValidationErrors | null => {
    const value: unknown = control.value;
    if (value === null || value === undefined || value === '') return null;
    const last = latest();
    const limits = { earliest, ...(last === undefined ? {} : { latest: last }) };
    if (typeof value !== 'string' || parseIsoDate(value) === null) return { dateRange: limits };
    if (value < earliest || (last !== undefined && value > last)) return { dateRange: limits };
    return null;
  };
}

/** `people[2].identity.dateOfBirth` and `people.2.identity.dateOfBirth` alike, as dots. */
export function normalisePath(path: string): string {
  return path.replace(/\[(\d+)\]/g, '.$1');
}

/**
 * Where an API path lives in a form, when the form's controls are named differently: the longest
 * matching prefix is replaced (`{ identity: 'newPerson', 'event.': '' }`), so that
 * `identity.dateOfBirth` finds `newPerson.dateOfBirth`; `*` stands for one row index
 * (`{ 'people.*.identity': 'people.*' }`). A prefix mapped to `null` is not editable in this
 * form: its errors go to the banner, named in words.
 */
export type PathAliases = Readonly<Record<string, string | null>>;

function aliasPattern(prefix: string): RegExp {
  const open = prefix.endsWith('.');
  const body = (open ? prefix.slice(0, -1) : prefix)
    .split('.')
    .map((part) => (part === '*' ? '(\\d+)' : part.replace(/[$()*+.?[\\\]^{|}]/g, '\\$&')))
    .join('\\.');
  return new RegExp(`^${body}(?:\\.|$)`);
}

/** The control path in the form for an API path, or null when the form has none for it. */
export function controlPath(path: string, aliases: PathAliases = {}): string | null {
  const normal = normalisePath(path);
  const matches = Object.keys(aliases)
    .map((prefix) => ({ prefix, match: aliasPattern(prefix).exec(normal) }))
    .filter((found): found is { prefix: string; match: RegExpExecArray } => found.match !== null)
    .sort((a, b) => b.match[0].length - a.match[0].length);
  const [best] = matches;
  if (best === undefined) return normal;
  const target = aliases[best.prefix];
  if (target === null || target === undefined) return null;
  const indices = best.match.slice(1);
  const replaced = target.replace(/\*/g, () => indices.shift() ?? '*');
  const rest = normal.slice(best.match[0].length);
  return [replaced, rest].filter((part) => part !== '').join('.');
}

/**
 * The control for `path`: the control itself, or the nearest enclosing one that holds a whole
 * value (`needs.0.category` → the `needs` chip list); never a group or list of controls, whose
 * errors no field shows (they go to the banner).
 */
export function controlAt(form: AbstractControl, path: string): AbstractControl | null {
  const segments = path.split('.');
  for (let length = segments.length; length > 0; length--) {
    const control = form.get(segments.slice(0, length).join('.'));
    if (control === null) continue;
    return 'controls' in control ? null : control;
  }
  return null;
}

/** The control of `form` that shows errors of the API path `path`, or null when none does. */
export function fieldControl(
  form: AbstractControl,
  path: string,
  aliases: PathAliases = {},
): AbstractControl | null {
  const target = controlPath(path, aliases);
  return target === null ? null : controlAt(form, target);
}

/**
 * Puts each API field error on the control it concerns (`api` error, touched, so `mat-error`
 * and `aria-invalid` show it) and returns those no control of `form` takes, for the banner.
 * The `api` error goes when the value changes (Angular then replaces the control's errors with
 * its validators' verdict).
 */
export function applyFieldErrors(
  form: AbstractControl,
  fields: readonly FieldError[],
  aliases: PathAliases = {},
): FieldError[] {
  const unmatched: FieldError[] = [];
  for (const field of fields) {
    const control = fieldControl(form, field.path, aliases);
    if (control === null) {
      unmatched.push(field);
      continue;
    }
    const api = { reason: field.reason, ...(field.limits ? { limits: field.limits } : {}) };
    control.setErrors({ ...control.errors, api });
    control.markAsTouched();
  }
  return unmatched;
}

/**
 * The words for a field that no control shows (`people.2.identity.dateOfBirth` → "date of
 * birth"): the last segment that names something, as a key under `errors.fieldName`, or
 * `other` when none does.
 */
export const FIELD_NAME_KEYS: readonly string[] = [
  'occurredOn',
  'dateOfBirth',
  'givenName',
  'familyName',
  'alias',
  'phone',
  'sex',
  'notes',
  'headcount',
  'personId',
  'contactId',
  'needId',
  'partnerId',
  'reason',
  'purpose',
  'detail',
  'dueOn',
  'checkedOn',
  'email',
  'displayName',
  'name',
  'text',
  'periodFrom',
  'periodTo',
  'ratings',
  'identity',
  'version',
  'keep',
  'roles',
  'category',
  'priority',
  'status',
  'consent',
  'overrideReason',
  'contactDetails',
  'serviceType',
  'languages',
  'languageGroup',
  'ageBand',
  'regionOfOrigin',
  'genderIdentity',
  'channel',
  'locationType',
  'circumstances',
  'needs',
  'authority',
  'requester',
  'legalInstrument',
  'legalAdvice',
  'personCodes',
  'assignedTo',
  'newPassword',
  'currentPassword',
  'staleReferralDays',
];

export function fieldNameKey(path: string): string {
  const segments = normalisePath(path)
    .split('.')
    .filter((segment) => !/^\d+$/.test(segment))
    .reverse();
  const known = segments.find((segment) => FIELD_NAME_KEYS.includes(segment));
  return known ?? 'other';
}
