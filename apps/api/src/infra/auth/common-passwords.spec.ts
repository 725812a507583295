import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { checkPassword } from '@harbour/domain';
import { commonPasswordsPath, loadCommonPasswords } from './common-passwords';

/** Must match `common-passwords.README.md`: the vendored list is kept byte-for-byte. */
const LIST_SHA256 = '0279e0e7d854dc40460db18a7cf2e09fb661837dc0ae7d3b8dc6e783ba5d84b4';
const LIST_LINES = 10_000;

describe('loadCommonPasswords', () => {
  const isCommon = loadCommonPasswords();

  it('reads the vendored list unchanged', () => {
    const bytes = readFileSync(commonPasswordsPath());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(LIST_SHA256);
    expect(bytes.toString('utf8').split('\n')).toHaveLength(LIST_LINES + 1); // final newline
    const readme = readFileSync(commonPasswordsPath().replace(/\.txt$/, '.README.md'), 'utf8');
    expect(readme).toContain(LIST_SHA256);
  });

  it.each(['password', '123456', 'qwerty', 'iloveyou', 'trustno1', 'passw0rd'])(
    'knows %p',
    (entry) => {
      expect(isCommon(entry)).toBe(true);
    },
  );

  it('ignores case', () => {
    expect(isCommon('PASSWORD')).toBe(true);
    expect(isCommon('QwErTy')).toBe(true);
  });

  it('does not know random strings', () => {
    for (let i = 0; i < 20; i++) {
      expect(isCommon(randomBytes(18).toString('base64url'))).toBe(false);
    }
    expect(isCommon('')).toBe(false);
  });

  it('gives the same answers when loaded again', () => {
    const again = loadCommonPasswords();
    expect(again('dragon')).toBe(true);
    expect(again('tide-lantern-quilt-orbit')).toBe(false);
  });

  it('backs the domain password policy', () => {
    for (const password of ['Password1234!', 'P@ssw0rd2024!!', 'Qwerty123456', 'baseball2024!']) {
      expect(checkPassword(password, {}, isCommon)).toBe('common_password');
    }
    expect(checkPassword('tide-lantern-quilt-orbit', {}, isCommon)).toBeNull();
    expect(checkPassword('ฉันชอบเดินเล่นริมทะเลตอนเย็น', {}, isCommon)).toBeNull();
  });
});
