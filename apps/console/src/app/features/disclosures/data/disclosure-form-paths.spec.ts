import { requestPaths, unmappedPaths } from '../../../../testing/api-paths';
import { applyFieldErrors, disclosureForm } from './disclosure-form';

describe('record a disclosure request: every API field has a control', () => {
  it('places an error on each path of CreateDisclosureDto', () => {
    const placed = (path: string): boolean =>
      applyFieldErrors(disclosureForm(), [{ path, reason: 'invalid' }]).length === 0;
    expect(requestPaths('CreateDisclosureDto').length).toBeGreaterThan(5);
    expect(unmappedPaths(['CreateDisclosureDto'], placed, {})).toEqual([]);
  });

  it('places a code refused by its index on that code', () => {
    const form = disclosureForm();
    applyFieldErrors(form, [
      { path: 'personCodes.0', reason: 'maxLength', limits: { maxLength: 40 } },
    ]);
    expect(form.controls.people.at(0).getError('api')).toEqual({
      reason: 'maxLength',
      limits: { maxLength: 40 },
    });
  });
});
