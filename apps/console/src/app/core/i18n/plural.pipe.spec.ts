import { PluralPipe } from './plural.pipe';

describe('PluralPipe', () => {
  const pipe = new PluralPipe();
  const keys = { one: 'x.one', other: 'x.other' };

  it('picks "one" for exactly one in English, "other" for the rest', () => {
    expect([0, 1, 2, 21, 1000].map((n) => pipe.transform(keys, n, 'en'))).toEqual([
      'x.other',
      'x.one',
      'x.other',
      'x.other',
      'x.other',
    ]);
  });

  it.each(['th', 'vi', 'zh-Hans', 'ko'])('uses one form for every count in %s', (language) => {
    expect([0, 1, 2].map((n) => pipe.transform(keys, n, language))).toEqual([
      'x.other',
      'x.other',
      'x.other',
    ]);
  });
});
