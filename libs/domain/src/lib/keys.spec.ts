import { canTransitionKey, KEY_STATUSES, keyCanDecrypt, keyCanEncrypt } from './keys';

describe('key lifecycle', () => {
  it('moves only forward, one step at a time', () => {
    const allowed = KEY_STATUSES.flatMap((from) =>
      KEY_STATUSES.filter((to) => canTransitionKey(from, to)).map((to) => `${from}->${to}`),
    );
    expect(allowed).toEqual([
      'active->decrypt_only',
      'decrypt_only->retired',
      'retired->destroyed',
    ]);
  });

  it('encrypts only with the active key', () => {
    expect(KEY_STATUSES.filter(keyCanEncrypt)).toEqual(['active']);
  });

  it('decrypts retired keys only when restoring, destroyed keys never', () => {
    expect(KEY_STATUSES.filter((s) => keyCanDecrypt(s))).toEqual(['active', 'decrypt_only']);
    expect(KEY_STATUSES.filter((s) => keyCanDecrypt(s, true))).toEqual([
      'active',
      'decrypt_only',
      'retired',
    ]);
  });
});
