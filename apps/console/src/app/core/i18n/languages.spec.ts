import { intlLocale, LANGUAGES, matchLanguage, pickLanguage } from './languages';

describe('languages', () => {
  it('offers each language under its own name', () => {
    expect(LANGUAGES.map((language) => language.nativeName)).toEqual([
      'English',
      'ไทย',
      'Tiếng Việt',
      '简体中文',
      '한국어',
    ]);
  });

  it.each([
    ['en-AU', 'en'],
    ['th-TH', 'th'],
    ['th', 'th'],
    ['vi-VN', 'vi'],
    ['ko-KR', 'ko'],
    ['zh', 'zh-Hans'],
    ['zh-CN', 'zh-Hans'],
    ['zh-SG', 'zh-Hans'],
    ['zh-Hans-CN', 'zh-Hans'],
    ['zh_CN', 'zh-Hans'],
    ['zh-TW', null],
    ['zh-HK', null],
    ['zh-Hant', null],
    ['ja-JP', null],
    ['', null],
  ])('matches %j to %j', (tag, expected) => {
    expect(matchLanguage(tag)).toBe(expected);
  });

  it('takes the first supported preference, in order', () => {
    expect(pickLanguage(['fr-FR', 'vi-VN', 'en-US'])).toBe('vi');
    expect(pickLanguage(['zh-TW', 'ko'])).toBe('ko');
  });

  it('falls back to English', () => {
    expect(pickLanguage([])).toBe('en');
    expect(pickLanguage(['de-DE', 'zh-Hant-TW'])).toBe('en');
  });
});

describe('intlLocale', () => {
  it('pins the Buddhist era for Thai and leaves the other languages as they are', () => {
    expect(intlLocale('th')).toBe('th-TH-u-ca-buddhist');
    expect(new Intl.DateTimeFormat(intlLocale('th')).resolvedOptions().calendar).toBe('buddhist');
    for (const code of ['en', 'vi', 'zh-Hans', 'ko'])
      expect(new Intl.DateTimeFormat(intlLocale(code)).resolvedOptions().calendar).toBe('gregory');
  });
});
