import { generatePersonCode } from '@harbour/domain';
import {
  applyFieldErrors,
  codeControl,
  disclosureForm,
  isIsoDate,
  toCreateRequest,
} from './disclosure-form';

/** A fixed, valid code per number (the check symbol computed as the API does). */
function makeCode(n: number): string {
  return generatePersonCode((bytes) => bytes.fill(n));
}

function filled() {
  const form = disclosureForm();
  form.patchValue({
    authority: 'police',
    requester: '  Sgt Lee, Central station ',
    legalInstrument: 'Production order 2026/114',
    periodFrom: '2026-01-01',
    periodTo: '2026-06-30',
  });
  form.controls.people.at(0).setValue(makeCode(1));
  form.controls.identityFields.controls.givenName.setValue(true);
  form.controls.recordFields.controls.contacts.setValue(true);
  return form;
}

describe('the record-a-request form', () => {
  it('is valid when filled in, and sends trimmed text, canonical codes and the ticked fields only', () => {
    const form = filled();
    form.controls.people.push(codeControl(` ${makeCode(2).toLowerCase()} `));
    expect(form.valid).toBe(true);
    expect(toCreateRequest(form)).toEqual({
      authority: 'police',
      requester: 'Sgt Lee, Central station',
      legalInstrument: 'Production order 2026/114',
      personCodes: [makeCode(1), makeCode(2)],
      fields: ['givenName', 'contacts'],
      periodFrom: '2026-01-01',
      periodTo: '2026-06-30',
    });
  });

  it('needs who asks, the instrument, the authority and the period', () => {
    const form = disclosureForm();
    expect(form.controls.authority.hasError('required')).toBe(true);
    expect(form.controls.requester.hasError('required')).toBe(true);
    expect(form.controls.legalInstrument.hasError('required')).toBe(true);
    expect(form.controls.periodFrom.hasError('required')).toBe(true);
    expect(form.controls.legalAdvice.valid).toBe(true);
  });

  it('refuses text over the API limits', () => {
    const form = filled();
    form.controls.requester.setValue('x'.repeat(501));
    form.controls.legalAdvice.setValue('x'.repeat(4001));
    expect(form.controls.requester.hasError('maxlength')).toBe(true);
    expect(form.controls.legalAdvice.hasError('maxlength')).toBe(true);
  });

  it('needs at least one valid code, each once', () => {
    const form = filled();
    form.controls.people.at(0).setValue('');
    expect(form.controls.people.hasError('noPerson')).toBe(true);
    form.controls.people.at(0).setValue('HB-NOT-A-CODE');
    expect(form.controls.people.at(0).hasError('personCode')).toBe(true);
    form.controls.people.at(0).setValue(makeCode(3));
    form.controls.people.push(codeControl(makeCode(3)));
    expect(form.controls.people.hasError('duplicateCode')).toBe(true);
  });

  it('needs at least one field, from either group', () => {
    const form = filled();
    form.controls.identityFields.controls.givenName.setValue(false);
    expect(form.valid).toBe(true);
    form.controls.recordFields.controls.contacts.setValue(false);
    expect(form.hasError('noField')).toBe(true);
    form.controls.identityFields.controls.phone.setValue(true);
    expect(form.valid).toBe(true);
  });

  it('needs real dates, from on or before to', () => {
    expect(isIsoDate('2026-02-30')).toBe(false);
    expect(isIsoDate('2026-02-28')).toBe(true);
    const form = filled();
    form.patchValue({ periodFrom: '2026-07-01', periodTo: '2026-06-30' });
    expect(form.hasError('periodOrder')).toBe(true);
    form.patchValue({ periodTo: '2026-07-01' });
    expect(form.valid).toBe(true);
  });

  it('puts the API refusal on the controls it names, and returns what it cannot place', () => {
    const form = filled();
    form.controls.people.push(codeControl(makeCode(4)));
    const unplaced = applyFieldErrors(form, [
      { path: 'requester', reason: 'maxLength', limits: { maxLength: 500 } },
      { path: 'personCodes.1', reason: 'unknown' },
      { path: 'somethingElse', reason: 'whitelist' },
    ]);
    expect(form.controls.requester.getError('api')).toEqual({
      reason: 'maxLength',
      limits: { maxLength: 500 },
    });
    expect(form.controls.people.at(1).getError('api')).toEqual({ reason: 'unknown' });
    expect(form.controls.people.at(0).valid).toBe(true);
    expect(unplaced).toEqual([{ path: 'somethingElse', reason: 'whitelist' }]);
  });
});
