import {
  checkPassword,
  contextWords,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  passwordBases,
  type PasswordContext,
} from './password-policy';

/** A stand-in for the API's top-10,000 list (the real one is tested in apps/api). */
const COMMON = new Set([
  'password',
  '123456',
  'qwerty',
  'iloveyou',
  'letmein',
  'dragon',
  'monkey',
  'secret',
  'apple',
  'sunshine',
  'trustno1',
]);
const isCommon = (candidate: string) => COMMON.has(candidate);
const NO_CONTEXT: PasswordContext = {};

const CONTEXT: PasswordContext = {
  organisationName: 'Streetlight Women’s Collective',
  email: 'mariam.okafor+work@streetlight.example',
  displayName: 'Mariam Okafor',
};

function codePoints(text: string): number {
  return Array.from(text).length;
}

/** The first `n` code points of `text` (which must be long enough). */
function take(text: string, n: number): string {
  const chars = Array.from(text);
  if (chars.length < n) throw new Error(`only ${chars.length} code points`);
  return chars.slice(0, n).join('');
}

const THAI =
  'ฉันชอบเดินเล่นริมทะเลตอนเย็นกับสุนัขตัวเล็กของฉันแล้วนั่งดูพระอาทิตย์ตกดินอย่างเงียบสงบทุกวัน' +
  'หลังเลิกงานเราจะกินข้าวเหนียวมะม่วงและฟังเสียงคลื่นซัดฝั่งจนกว่าดวงดาวจะขึ้นเต็มท้องฟ้า';
const CHINESE =
  '春眠不觉晓处处闻啼鸟夜来风雨声花落知多少床前明月光疑是地上霜举头望明月低头思故乡' +
  '白日依山尽黄河入海流欲穷千里目更上一层楼千山鸟飞绝万径人踪灭孤舟蓑笠翁独钓寒江雪' +
  '红豆生南国春来发几枝愿君多采撷此物最相思空山不见人但闻人语响返景入深林复照青苔上';
const EMOJI =
  '🌊🚢🐙🦑🐠🐡🦈🐬🐳🐋🦭🐚🌅🌄⛵🛶🚤🧭🌈🌤🌧🌦🍉🍍🥥🍋🍓🫐🍒🥝🌽🥕' +
  '🦜🦩🦢🦉🐝🐞🦋🐌🐢🦎🐍🦖🦕🐊🐇🦔🦡🦫🦦🦥🐿🦘🦒🐘🦏🦛🐪🐫🦙🦬🐃🐂🐄🐎🐖🐏🐑🐐🦌🐕';
const MIXED = `${THAI.slice(0, 40)} 月光 ${EMOJI.slice(0, 40)} ${CHINESE}`;

describe('checkPassword: length', () => {
  it('uses the T2 limits', () => {
    expect(MIN_PASSWORD_LENGTH).toBe(12);
    expect(MAX_PASSWORD_LENGTH).toBe(256);
  });

  it.each([
    ['Thai', THAI],
    ['Chinese', CHINESE],
    ['emoji', EMOJI],
    ['mixed', MIXED],
  ])('accepts 64- and 128-code-point %s passphrases', (_, source) => {
    for (const n of [64, 128]) {
      const passphrase = take(source.repeat(2), n);
      expect(codePoints(passphrase)).toBe(n);
      expect(checkPassword(passphrase, CONTEXT, isCommon)).toBeNull();
    }
  });

  it('counts code points, not UTF-16 units', () => {
    const eleven = '🌊🚢🐙🦑🐠🐡🦈🐬🐳🐋🦭';
    expect(eleven.length).toBe(22);
    expect(codePoints(eleven)).toBe(11);
    expect(checkPassword(eleven, NO_CONTEXT, isCommon)).toBe('too_short');
    expect(checkPassword(`${eleven}🐚`, NO_CONTEXT, isCommon)).toBeNull();
    expect(checkPassword('tide lantern', NO_CONTEXT, isCommon)).toBeNull(); // 12
    expect(checkPassword('tide lanter', NO_CONTEXT, isCommon)).toBe('too_short'); // 11
    expect(checkPassword('', NO_CONTEXT, isCommon)).toBe('too_short');
  });

  it('accepts up to 256 code points, astral ones included, and refuses more', () => {
    const astral = take(EMOJI.repeat(4), 256);
    expect(astral.length).toBeGreaterThan(500); // mostly astral: two UTF-16 units each
    expect(checkPassword(astral, NO_CONTEXT, isCommon)).toBeNull();
    expect(checkPassword(take(EMOJI.repeat(4), 257), NO_CONTEXT, isCommon)).toBe('too_long');
    expect(checkPassword(take(CHINESE.repeat(3), 256), NO_CONTEXT, isCommon)).toBeNull();
    expect(checkPassword(take(CHINESE.repeat(3), 257), NO_CONTEXT, isCommon)).toBe('too_long');
  });

  it('never truncates: a long password is too_long, not judged by its first 256 characters', () => {
    const fine = take(MIXED.repeat(3), 256);
    expect(checkPassword(fine, NO_CONTEXT, isCommon)).toBeNull();
    const long = `${fine}${'x'.repeat(44)}`;
    expect(codePoints(long)).toBe(300);
    expect(checkPassword(long, NO_CONTEXT, isCommon)).toBe('too_long');
    expect(checkPassword('a'.repeat(100_000), NO_CONTEXT, isCommon)).toBe('too_long');
  });

  it('checks length first', () => {
    expect(checkPassword('harbour', NO_CONTEXT, isCommon)).toBe('too_short');
    expect(checkPassword(`harbour ${'z'.repeat(300)}`, NO_CONTEXT, isCommon)).toBe('too_long');
  });
});

describe('checkPassword: same_as_current', () => {
  it('refuses the current password, compared NFKC-folded and case-insensitively', () => {
    const currentPassword = 'Correct Horse Battery';
    const context = { ...CONTEXT, currentPassword };
    expect(checkPassword(currentPassword, context, isCommon)).toBe('same_as_current');
    expect(checkPassword('correct horse battery', context, isCommon)).toBe('same_as_current');
    expect(checkPassword('ＣＯＲＲＥＣＴ ＨＯＲＳＥ ＢＡＴＴＥＲＹ', context, isCommon)).toBe(
      'same_as_current',
    );
    expect(checkPassword('Correct Horse Battery!', context, isCommon)).toBeNull();
  });

  it('comes before the context and common checks', () => {
    const currentPassword = 'harbour password 1';
    expect(checkPassword(currentPassword, { currentPassword }, isCommon)).toBe('same_as_current');
  });
});

describe('checkPassword: context_word', () => {
  it('refuses "harbour" and "outreach" in any case or spelling', () => {
    for (const password of [
      'my harbour password',
      'HARBOURHARBOURHARBOUR',
      'ＨＡＲＢＯＵＲ at night', // full-width: NFKC folds it
      'h@rb0ur lantern quilt',
      'the best harbor ever',
      'outreach-for-everyone',
    ]) {
      expect(checkPassword(password, NO_CONTEXT, isCommon)).toBe('context_word');
    }
  });

  it('refuses words of the organisation name', () => {
    expect(checkPassword('streetlight-rocks-2024', CONTEXT, isCommon)).toBe('context_word');
    expect(checkPassword('My Collective Of Friends', CONTEXT, isCommon)).toBe('context_word');
    expect(checkPassword('women of the river delta', CONTEXT, isCommon)).toBe('context_word');
  });

  it('refuses the e-mail local part and its parts, and the display name words', () => {
    expect(checkPassword('mariam.okafor+work', CONTEXT, isCommon)).toBe('context_word');
    expect(checkPassword('okafor family holiday', CONTEXT, isCommon)).toBe('context_word');
    expect(checkPassword('Mariam loves the sea', CONTEXT, isCommon)).toBe('context_word');
    expect(checkPassword('homework is never done', CONTEXT, isCommon)).toBe('context_word');
  });

  it('ignores context words shorter than four characters and the e-mail domain', () => {
    const context: PasswordContext = {
      organisationName: 'Sex Work Peer Org',
      email: 'jo@lighthouse.example',
      displayName: 'Jo Li',
    };
    expect(contextWords(context).sort()).toEqual(
      ['harbor', 'harbour', 'outreach', 'peer', 'work'].sort(),
    );
    expect(checkPassword('enjoy the long road home', context, isCommon)).toBeNull();
    expect(checkPassword('lighthouse keeper song', context, isCommon)).toBeNull();
    expect(checkPassword('a peer to peer network', context, isCommon)).toBe('context_word');
  });

  it('comes before the common check', () => {
    expect(checkPassword('harbourpassword', NO_CONTEXT, isCommon)).toBe('context_word');
  });
});

describe('checkPassword: common_password', () => {
  it.each([
    'Password1234!',
    'P@ssw0rd2024!!',
    'password    1',
    '!!!password!!!',
    '2024-iloveyou-2024',
    'IloveYou12345',
    'L3tm31n!!!!!',
    '$ecret1234567',
    '4pple99999999',
    '@pple20202020',
    'Dr@g0n!!2024##',
    'trustno1 ...!!',
    'SUNSHINE.2025',
  ])('refuses %p (a common password with padding or substitutions)', (password) => {
    expect(checkPassword(password, NO_CONTEXT, isCommon)).toBe('common_password');
  });

  it.each([
    'aaaaaaaaaaaa',
    '111111111111',
    '🌊🌊🌊🌊🌊🌊🌊🌊🌊🌊🌊🌊',
    'abababababab',
    'abcabcabcabc',
    'xyzzxyzzxyzz',
    '123456789012',
    '210987654321',
    '098765432109',
    'abcdefghijkl',
    'lkjihgfedcba',
    'ABCDEFGHIJKL',
    'qwertyuiopas',
    'QWERTYUIOPASDF',
    'poiuytrewq09',
    'azertyuiopqs',
    'qwertzuiopas',
    '1qaz2wsx3edc',
    'αβγδεζηθικλμ',
  ])('refuses the trivial pattern %p', (password) => {
    expect(checkPassword(password, NO_CONTEXT, isCommon)).toBe('common_password');
  });

  it.each([
    'correct horse battery staple',
    'tide-lantern-quilt-orbit',
    'Password is not my password', // a common word inside a phrase is fine
    'monkey wrench in the gears',
    '8520-1479-6301',
    'qwertyuiop is a row',
  ])('accepts %p', (password) => {
    expect(checkPassword(password, NO_CONTEXT, isCommon)).toBeNull();
  });

  it('only ever asks isCommon about lower-case candidates', () => {
    const asked: string[] = [];
    checkPassword('P@SSW0RD-Tide-Lantern!!', NO_CONTEXT, (candidate) => {
      asked.push(candidate);
      return false;
    });
    expect(asked.length).toBeGreaterThan(0);
    for (const candidate of asked) expect(candidate).toBe(candidate.toLowerCase());
  });

  it('exposes the bases it looks up', () => {
    expect(passwordBases('p@ssw0rd2024!!')).toContain('password');
    expect(passwordBases('password1234!')).toContain('password');
    expect(passwordBases('$ecret123')).toContain('secret');
    expect(passwordBases('!!!!')).toEqual(['!!!!']);
  });
});
