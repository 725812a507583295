import type { AbstractControl, ValidationErrors, ValidatorFn } from '@angular/forms';
import { FormArray, FormControl, FormGroup, Validators } from '@angular/forms';
import {
  DISCLOSURE_RECORD_FIELDS,
  IDENTITY_FIELDS,
  parsePersonCode,
  type CreateDisclosureRequest,
  type DisclosureAuthority,
  type DisclosureField,
  type FieldError,
} from '@harbour/domain';
import { required } from '../../../core/forms/validators';

/** Limits of `CreateDisclosureRequest` (the API enforces the same). */
export const REQUESTER_MAX = 500;
export const INSTRUMENT_MAX = 500;
export const ADVICE_MAX = 4000;
export const MAX_PEOPLE = 100;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar day written YYYY-MM-DD (what `<input type="date">` gives). */
export function isIsoDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

const isoDate: ValidatorFn = (control: AbstractControl): ValidationErrors | null => {
  const value = control.value as string;
  if (value === '') return null;
  return isIsoDate(value) ? null : { isoDate: true };
};

/** A pseudonymous person code, as printed on the person page (e.g. `HB-7Q2M-9XZT`). */
const personCode: ValidatorFn = (control: AbstractControl): ValidationErrors | null => {
  const value = (control.value as string).trim();
  if (value === '') return null;
  return parsePersonCode(value) === null ? { personCode: true } : null;
};

/** At least one code; no code twice. */
const peopleList: ValidatorFn = (control: AbstractControl): ValidationErrors | null => {
  const codes = ((control as FormArray).getRawValue() as string[])
    .map((code) => normaliseCode(code))
    .filter((code) => code !== '');
  if (codes.length === 0) return { noPerson: true };
  if (new Set(codes).size !== codes.length) return { duplicateCode: true };
  if (codes.length > MAX_PEOPLE) return { tooMany: true };
  return null;
};

/** From ≤ to, both set. */
const periodOrder: ValidatorFn = (control: AbstractControl): ValidationErrors | null => {
  const { periodFrom, periodTo } = (control as FormGroup).getRawValue() as {
    periodFrom: string;
    periodTo: string;
  };
  if (!isIsoDate(periodFrom) || !isIsoDate(periodTo)) return null;
  return periodFrom <= periodTo ? null : { periodOrder: true };
};

export function normaliseCode(code: string): string {
  return parsePersonCode(code.trim()) ?? code.trim().toUpperCase();
}

function checkboxes<T extends string>(
  names: readonly T[],
): FormGroup<Record<T, FormControl<boolean>>> {
  const controls = {} as Record<T, FormControl<boolean>>;
  for (const name of names) controls[name] = new FormControl(false, { nonNullable: true });
  return new FormGroup(controls);
}

export function codeControl(value = ''): FormControl<string> {
  return new FormControl(value, { nonNullable: true, validators: [personCode] });
}

/** The "Record a request" form. */
export function disclosureForm() {
  const text = (max: number, validators: ValidatorFn[] = [required]) =>
    new FormControl('', {
      nonNullable: true,
      validators: [...validators, Validators.maxLength(max)],
    });
  return new FormGroup(
    {
      authority: new FormControl<DisclosureAuthority | null>(null, { validators: [required] }),
      requester: text(REQUESTER_MAX),
      legalInstrument: text(INSTRUMENT_MAX),
      legalAdvice: text(ADVICE_MAX, []),
      people: new FormArray([codeControl()], { validators: [peopleList] }),
      identityFields: checkboxes(IDENTITY_FIELDS),
      recordFields: checkboxes(DISCLOSURE_RECORD_FIELDS),
      periodFrom: new FormControl('', { nonNullable: true, validators: [required, isoDate] }),
      periodTo: new FormControl('', { nonNullable: true, validators: [required, isoDate] }),
    },
    { validators: [periodOrder, fieldsChosen] },
  );
}

export type DisclosureForm = ReturnType<typeof disclosureForm>;

/** At least one field, identity or record class. */
function fieldsChosen(control: AbstractControl): ValidationErrors | null {
  const value = (control as FormGroup).getRawValue() as {
    identityFields: Record<string, boolean>;
    recordFields: Record<string, boolean>;
  };
  const chosen = [...Object.values(value.identityFields), ...Object.values(value.recordFields)];
  return chosen.some(Boolean) ? null : { noField: true };
}

/** The request to send: text trimmed, codes canonical, fields in the domain's order. */
export function toCreateRequest(form: DisclosureForm): CreateDisclosureRequest {
  const value = form.getRawValue();
  if (value.authority === null) throw new Error('the form is not valid');
  const fields: DisclosureField[] = [
    ...IDENTITY_FIELDS.filter((field) => value.identityFields[field]),
    ...DISCLOSURE_RECORD_FIELDS.filter((field) => value.recordFields[field]),
  ];
  const advice = value.legalAdvice.trim();
  return {
    authority: value.authority,
    requester: value.requester.trim(),
    legalInstrument: value.legalInstrument.trim(),
    ...(advice === '' ? {} : { legalAdvice: advice }),
    personCodes: value.people.map((code) => normaliseCode(code)).filter((code) => code !== ''),
    fields,
    periodFrom: value.periodFrom,
    periodTo: value.periodTo,
  };
}

/**
 * Puts the API's refusal on the controls it names (`validation_failed` paths such as
 * `requester` or `personCodes.2`), with the limits the API sent, so the message says what to
 * do; returns the field errors no control takes, for the banner.
 */
export function applyFieldErrors(
  form: DisclosureForm,
  fields: readonly FieldError[],
): FieldError[] {
  const unplaced: FieldError[] = [];
  for (const field of fields) {
    const [head, index] = field.path.split('.');
    const target = (() => {
      switch (head) {
        case 'authority':
        case 'requester':
        case 'legalInstrument':
        case 'legalAdvice':
        case 'periodFrom':
        case 'periodTo':
          return form.controls[head];
        case 'personCodes':
          return index === undefined
            ? form.controls.people
            : form.controls.people.at(Number(index));
        case 'fields':
          return form;
        default:
          return null;
      }
    })();
    if (target === null || target === undefined) unplaced.push(field);
    else {
      const api = { reason: field.reason, ...(field.limits ? { limits: field.limits } : {}) };
      target.setErrors({ ...(target.errors ?? {}), api });
      target.markAsTouched();
    }
  }
  return unplaced;
}
