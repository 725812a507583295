import sodium from 'libsodium-wrappers';
import { blindIndexValue, similarNameIndexValues, similarNameQueryValues } from './blind-index';
import {
  editDistance,
  keyNeighbours,
  phoneticKey,
  queryTokens,
  queryUnits,
  similarNameDistance,
  storedNameUnits,
  unitDistance,
} from './phonetic';
import { hangulToRr, romaniseToken, thaiToRtgs } from './romanise';

const KEY = Uint8Array.from({ length: 32 }, (_, i) => i);
const OTHER = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);

beforeAll(async () => {
  await sodium.ready;
});

describe('phoneticKey', () => {
  it.each([
    ['Somchai', 'Somchay'],
    ['Gim', 'Kim'],
    ['Nguyen', 'Nguyễn'],
    ['Xiuying', 'Siuying'],
    ['Gonzalez', 'Gonzales'],
    ['Phim', 'Pim'],
    ['Thongkham', 'Tongkham'],
    ['Iryna', 'Irina'],
    ['Olena', 'Alena'],
    ['Ximena', 'Simena'],
    ['Zhang', 'Chang'],
  ])('gives %s and %s the same key', (a, b) => {
    expect(phoneticKey(a)).toBe(phoneticKey(b));
    expect(phoneticKey(a)).not.toBe('');
  });

  it.each([
    ['Somchai', 'Malai'],
    ['Kim', 'Park'],
    ['Santos', 'Reyes'],
    ['Mensah', 'Okafor'],
  ])('keeps %s and %s apart', (a, b) => {
    expect(phoneticKey(a)).not.toBe(phoneticKey(b));
  });

  it('spells the documented examples', () => {
    expect(phoneticKey('Somchai')).toBe('SMJ');
    expect(phoneticKey('Gim')).toBe('KM');
    expect(phoneticKey('Nguyen')).toBe('N');
    expect(phoneticKey('Wang')).toBe('AN');
    expect(phoneticKey('Huang')).toBe('HN');
    expect(phoneticKey('Bak')).toBe('PK');
    expect(phoneticKey('')).toBe('');
    expect(phoneticKey('สมชาย')).toBe(''); // not Latin: romanise first
  });
});

describe('keyNeighbours', () => {
  it('lists the keys one sound class away (deleted, replaced, inserted), not the key itself', () => {
    const near = keyNeighbours('SMSK');
    expect(near).toContain('SMK'); // "Somak" for "Somsak": a letter missing
    expect(near).toContain('SMSKT');
    expect(near).toContain('SNSK');
    expect(near).not.toContain('SMSK');
    expect(near).not.toContain('');
    expect(new Set(near).size).toBe(near.length);
  });

  it('reaches the key of a one-letter typo that changes a consonant', () => {
    expect(keyNeighbours(phoneticKey('Somsak'))).toContain(phoneticKey('Somsat'));
    expect(keyNeighbours(phoneticKey('Thongkham'))).toContain(phoneticKey('Thongkhan'));
  });
});

describe('romanisation', () => {
  it.each([
    ['สมชาย', 'somchai'],
    ['มาลัย', 'malai'],
    ['สมศักดิ์', 'somsak'],
    ['สมหญิง', 'somying'],
    ['วิไล', 'wilai'],
    ['ทองคำ', 'thongkham'],
    ['แก้ว', 'kaeo'],
    ['สุวรรณ', 'suwan'],
    ['นงลักษณ์', 'nonglak'],
    ['พิมพ์', 'phim'],
    ['ดวงใจ', 'duangchai'],
    ['เรือง', 'rueang'],
    ['ลำดวน', 'lamduan'],
  ])('reads Thai %s as RTGS %s (tone marks dropped, silent letters dropped)', (thai, rtgs) => {
    expect(thaiToRtgs(thai.normalize('NFKC'))).toBe(rtgs);
  });

  it('romanises Hangul by Revised Romanisation, syllable by syllable', () => {
    expect(hangulToRr('김민준')).toEqual(['gim', 'min', 'jun']);
    expect(hangulToRr('박지훈')).toEqual(['bak', 'ji', 'hun']);
    expect(hangulToRr('이서연')).toEqual(['i', 'seo', 'yeon']);
    expect(hangulToRr('최')).toEqual(['choe']);
  });

  it('romanises Han as pinyin without tones, the first character by its surname reading', () => {
    expect(romaniseToken('王秀英')).toEqual(['wang', 'xiu', 'ying']);
    expect(romaniseToken('陈美玲')).toEqual(['chen', 'mei', 'ling']);
    expect(romaniseToken('曾')).toEqual(['zeng']);
  });

  it('romanises nothing else (Latin, mixed scripts)', () => {
    expect(romaniseToken('somchai')).toBeNull();
    expect(romaniseToken('김a')).toBeNull();
  });
});

describe('units and distance', () => {
  it('splits a Han or Hangul name into family syllable and given name, and joins parts', () => {
    expect(storedNameUnits(['김민준']).all).toEqual(['gimminjun', 'gim', 'minjun']);
    expect(storedNameUnits(['Min-jun', 'Kim']).base).toEqual(['min', 'jun', 'minjun', 'kim']);
    expect(storedNameUnits(['Min-jun', 'Kim']).all).toContain('kimminjun');
    // Customary Korean family-name spellings are written as RR writes them from Hangul.
    expect(storedNameUnits(['Jihun', 'Park']).base).toEqual(['jihun', 'bak']);
    expect(queryTokens('Kim Min-jun')).toEqual(['kim', 'min', 'jun']);
    expect(queryTokens('박지훈')).toEqual(['bak', 'jihun']);
    expect(queryUnits('Somchai Rakthai')).toEqual(['somchai', 'rakthai', 'somchairakthai']);
  });

  it('counts a transposition as one edit', () => {
    expect(editDistance('somchai', 'somcahi')).toBe(1);
    expect(editDistance('maria', 'mraia')).toBe(1);
    expect(editDistance('abc', 'abcdefgh', 3)).toBe(4);
  });

  it('accepts one edit, romanisation spellings and same-sounding transliterations only', () => {
    expect(unitDistance('somchay', 'somchai')).toBe(1);
    expect(unitDistance('boonmee', 'bunmi')).not.toBeNull();
    expect(unitDistance('jihoon', 'jihun')).not.toBeNull();
    expect(unitDistance('somchai', 'malai')).toBeNull();
    expect(unitDistance('li', 'lu')).toBeNull(); // two letters: nothing but equality
  });

  it.each([
    [['Somchai', 'Jaiyen'], 'Somchay Jaiyen'],
    [['สมชาย', 'ใจดี'], 'Somchai Chaidi'],
    [['Somchai', 'Chaidi'], 'สมชาย ใจดี'],
    [['민준', '김'], 'Kim Min-jun'],
    [['Min-jun', 'Kim'], 'Gim Minjun'],
    [['Minjun', 'Kim'], '김민준'],
    [['지훈', '박'], 'Park Ji-hoon'],
    [['秀英', '王'], 'Wang Xiuying'],
    [['Xiuying', 'Wang'], '王秀英'],
    [['秀英', '王'], 'Wong Siu Ying'],
    [['Thị Lan', 'Nguyễn'], 'Ngyuen Thi Lan'],
    [['Maria', 'Gonzalez'], 'Mraia Gonzales'],
    [['Oluwaseun', 'Adeyemi'], 'Oluwasegun Adeyemi'],
  ])('finds %j similar to %s', (parts, query) => {
    expect(similarNameDistance(parts, query)).not.toBeNull();
  });

  it.each([
    [['Somchai', 'Chaidi'], 'Malai Chaidi'],
    [['Maria', 'Gonzalez'], 'Lucia Hernandez'],
    [['秀英', '王'], 'Li Meiling'],
    [['Min-jun', 'Kim'], 'Park'],
    [['Eva', 'Gomes'], 'Gomes Tran'],
    [['Min-jun', 'Kim'], 'Mi'],
  ])('does not find %j similar to %s', (parts, query) => {
    expect(similarNameDistance(parts, query)).toBeNull();
  });

  it('ranks the closer name first', () => {
    const close = similarNameDistance(['Somchai', 'Chaidi'], 'Somchai Chaidi')!;
    const typo = similarNameDistance(['Somchai', 'Chaidi'], 'Somchia Chaidi')!;
    expect(close).toBe(0);
    expect(typo).toBeGreaterThan(close);
  });
});

describe('similar-name index values', () => {
  const stored = (key: Uint8Array, parts: string[]) =>
    similarNameIndexValues(
      sodium,
      key,
      'person.name_phonetic',
      key,
      'person.name_phonetic_pair',
      parts,
      32,
    );
  const query = (key: Uint8Array, q: string) =>
    similarNameQueryValues(
      sodium,
      key,
      'person.name_phonetic',
      key,
      'person.name_phonetic_pair',
      q,
      32,
    );
  /** Whether some probe of the query is held by the stored name (pair and both keys). */
  const meets = (parts: string[], q: string): boolean => {
    const s = stored(KEY, parts);
    const { probes, single } = query(KEY, q);
    if (single !== null) return s.keys.includes(single);
    return probes.some(
      (p) => s.pairs.includes(p.pair) && s.keys.includes(p.a) && s.keys.includes(p.b),
    );
  };

  it.each([
    [['Somchai', 'Rakdee'], 'Somchay Rakdee'],
    [['สมชาย', 'ใจดี'], 'Somchai Jaidi'],
    [['Kim', 'Minjun'], '김민준'],
    [['민준', '김'], 'Gim Min-jun'],
    [['秀英', '王'], 'Wong Siu Ying'],
    [['军', '陈'], 'Chen Jun'],
    [['บุญมี', 'บุญมา'], 'Bunmi Bunma'],
  ])('lets %j and %s meet through a keyed pair', (parts, q) => {
    expect(meets(parts, q)).toBe(true);
  });

  it('keeps different-sounding names apart', () => {
    expect(meets(['Somchai', 'Rakdee'], 'Malai Rakdee')).toBe(false);
  });

  it('reaches a typo that changes a sound through a near probe (one key one class away)', () => {
    const s = stored(KEY, ['สมศักดิ์', 'สายทอง']);
    const q = query(KEY, 'Somak Saithong');
    const held = (p: { pair: number; a: number; b: number }) =>
      s.pairs.includes(p.pair) && s.keys.includes(p.a) && s.keys.includes(p.b);
    expect(q.probes.some(held)).toBe(false);
    expect(q.near().some(held)).toBe(true);
    expect(q.near().length).toBeLessThanOrEqual(600);
  });

  it('stores only keyed values: no value equals an unkeyed or other-organisation value', () => {
    const a = stored(KEY, ['Somchai', 'Rakdee']);
    const b = stored(OTHER, ['Somchai', 'Rakdee']);
    expect([...a.keys, ...a.pairs].filter((v) => [...b.keys, ...b.pairs].includes(v))).toEqual([]);
    // Never the plain name index value of the same key string under another index name.
    expect(a.keys).not.toContain(blindIndexValue(sodium, KEY, 'person.name', 1, 'SMJ', 32));
  });

  it('truncates to the width asked for', () => {
    const full = similarNameIndexValues(
      sodium,
      KEY,
      'person.name_phonetic',
      KEY,
      'person.name_phonetic_pair',
      ['Somchai', 'Rakdee'],
      32,
    );
    const short = similarNameIndexValues(
      sodium,
      KEY,
      'person.name_phonetic',
      KEY,
      'person.name_phonetic_pair',
      ['Somchai', 'Rakdee'],
      12,
    );
    expect(short.keys).toEqual([...new Set(full.keys.map((v) => v >>> 20))].sort((x, y) => x - y));
  });
});
