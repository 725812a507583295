import { keyringUrlFor } from './keyring-schema';

describe('keyringUrlFor', () => {
  it('puts the keyring beside the data database: same server, role and options, name + _keyring', () => {
    expect(keyringUrlFor('postgres://app:p%40ss@db.internal:5432/harbour?sslmode=require')).toBe(
      'postgres://app:p%40ss@db.internal:5432/harbour_keyring?sslmode=require',
    );
  });

  it('takes a configured keyring URL as it is', () => {
    expect(keyringUrlFor('postgres://a:b@db/harbour', 'postgres://a:b@keys/kr')).toBe(
      'postgres://a:b@keys/kr',
    );
  });

  it('refuses a URL without a database name', () => {
    expect(() => keyringUrlFor('postgres://a:b@db:5432/')).toThrow(/names no database/);
  });
});
