import { DatePipe } from './date.pipe';

describe('DatePipe', () => {
  const pipe = new DatePipe();

  it('shows a calendar day in the language, never shifted by a time zone', () => {
    expect(pipe.transform('2026-03-01', 'en-GB')).toBe('1 Mar 2026');
    expect(pipe.transform('2026-03-01', 'en')).toBe('Mar 1, 2026');
    // Thai dates count years in the Buddhist era, pinned (see `intlLocale`).
    expect(pipe.transform('2026-03-01', 'th')).toBe('1 มี.ค. 2569');
    expect(pipe.transform('2026-03-01', 'zh-Hans')).toBe('2026年3月1日');
    expect(pipe.transform('2026-03-01', 'ko')).toBe('2026. 3. 1.');
    expect(pipe.transform('2026-03-01', 'vi')).toBe('1 thg 3, 2026');
  });

  it('shows nothing for a missing or malformed value', () => {
    expect(pipe.transform(null, 'en')).toBe('');
    expect(pipe.transform('01/03/2026', 'en')).toBe('');
  });
});
