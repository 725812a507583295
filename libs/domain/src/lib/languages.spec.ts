import {
  acceptLanguageTags,
  isStaffLanguage,
  matchStaffLanguage,
  pickStaffLanguage,
  requestLanguage,
} from './languages';

describe('staff languages', () => {
  it('knows the five console languages and nothing else', () => {
    expect(['en', 'th', 'vi', 'zh-Hans', 'ko'].every(isStaffLanguage)).toBe(true);
    expect(['EN', 'zh', 'zh-Hant', 'fr', '', null, 3].some(isStaffLanguage)).toBe(false);
  });

  it('maps browser tags, keeping Traditional Chinese out of Simplified', () => {
    expect(matchStaffLanguage('th-TH')).toBe('th');
    expect(matchStaffLanguage('zh-CN')).toBe('zh-Hans');
    expect(matchStaffLanguage('zh')).toBe('zh-Hans');
    expect(matchStaffLanguage('zh-Hans-HK')).toBe('zh-Hans');
    expect(matchStaffLanguage('zh-TW')).toBeNull();
    expect(matchStaffLanguage('zh-Hant')).toBeNull();
    expect(matchStaffLanguage('ko_KR')).toBe('ko');
    expect(matchStaffLanguage('fr-FR')).toBeNull();
    expect(pickStaffLanguage(['fr', 'zh-TW', 'vi-VN', 'en'])).toBe('vi');
    expect(pickStaffLanguage(['fr'])).toBe('en');
  });

  it('reads Accept-Language by weight, then order, dropping q=0 and *', () => {
    expect(acceptLanguageTags('en;q=0.5, th-TH, ko;q=0.8, vi;q=0, *;q=0.1')).toEqual([
      'th-TH',
      'ko',
      'en',
    ]);
    expect(acceptLanguageTags(undefined)).toEqual([]);
    expect(acceptLanguageTags('')).toEqual([]);
  });

  it("writes in the account's language, else the header's, else English", () => {
    expect(requestLanguage('ko', 'th')).toBe('ko');
    expect(requestLanguage(null, 'fr, th;q=0.9')).toBe('th');
    expect(requestLanguage(null, 'fr')).toBe('en');
    expect(requestLanguage(null, undefined)).toBe('en');
  });
});
