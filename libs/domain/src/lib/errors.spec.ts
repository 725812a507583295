import { ERROR_CODES, isErrorCode } from './errors';

describe('error codes', () => {
  it('are unique snake_case strings', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    for (const code of ERROR_CODES) {
      expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
    }
  });

  it('isErrorCode accepts known codes only', () => {
    expect(isErrorCode('not_found')).toBe(true);
    expect(isErrorCode('NOT_FOUND')).toBe(false);
    expect(isErrorCode(404)).toBe(false);
  });
});
