import { identityInput } from './identity-input';

describe('identityInput', () => {
  it('trims values and leaves out empty ones', () => {
    expect(
      identityInput({
        givenName: '  Wanida ',
        familyName: '',
        alias: ' ',
        dateOfBirth: '',
        sex: 'female',
      }),
    ).toEqual({ givenName: 'Wanida', sex: 'female' });
  });

  it('is undefined when nothing is given', () => {
    expect(
      identityInput({
        givenName: '',
        familyName: ' ',
        alias: '',
        dateOfBirth: '',
        sex: null,
        phone: '',
      }),
    ).toBeUndefined();
  });
});
