import type { Translation } from '@jsverse/transloco';
import { TRANSLATIONS } from '../../../testing/i18n';
import type { LanguageCode } from './languages';

/**
 * The glossary in docs/translations.md, applied. For each domain term, every translated string
 * whose English source uses the term must use the chosen rendering in that language; a few keys
 * are exempt where the English word is used in another sense (each with its reason). Then the
 * per-language rules: no stigmatising term, no Traditional character in Simplified Chinese, Thai
 * repetition mark spaced, one register per language, and nothing left in English.
 *
 * When you change a term here, change docs/translations.md with it.
 */

type Translated = Exclude<LanguageCode, 'en'>;

const TRANSLATED: readonly Translated[] = ['th', 'zh-Hans', 'ko', 'vi'];

interface Term {
  readonly term: string;
  /** Where the English source uses the term ({{placeholders}} and "quoted words" are ignored). */
  readonly english: RegExp;
  /** The chosen rendering; alternatives only for inflected or compound forms of the same term. */
  readonly chosen: Readonly<Record<Translated, RegExp>>;
  /** A rendering the term must not take, because it means something else in that language. */
  readonly avoid?: Readonly<Partial<Record<Translated, RegExp>>>;
  /** Keys whose English uses the word in another sense. */
  readonly otherSense?: readonly string[];
  /** Keys where one language has a justified idiom instead of the term. */
  readonly idiom?: Readonly<Partial<Record<Translated, readonly string[]>>>;
}

const GLOSSARY: readonly Term[] = [
  {
    term: 'caseworker',
    english: /\bcaseworkers?\b/i,
    chosen: {
      th: /เจ้าหน้าที่ดูแลเคส/,
      'zh-Hans': /个案工作者/,
      ko: /사례 담당자/,
      vi: /nhân viên hỗ trợ/i,
    },
  },
  {
    term: 'coordinator',
    english: /\bcoordinators?\b/i,
    chosen: { th: /ผู้ประสานงาน/, 'zh-Hans': /协调员/, ko: /코디네이터/, vi: /điều phối viên/i },
  },
  {
    term: 'administrator',
    english: /\badmin(istrator)?s?\b/i,
    chosen: { th: /ผู้ดูแลระบบ/, 'zh-Hans': /管理员/, ko: /관리자/, vi: /quản trị viên/i },
  },
  {
    term: 'auditor',
    english: /\bauditors?\b/i,
    chosen: { th: /ผู้ตรวจสอบ/, 'zh-Hans': /审计员/, ko: /감사자/, vi: /kiểm toán viên/i },
  },
  {
    term: 'key worker',
    english: /\bkey workers?\b/i,
    chosen: { th: /ผู้ดูแลหลัก/, 'zh-Hans': /主责社工/, ko: /담당 활동가/, vi: /nhân viên phụ trách/i },
  },
  {
    term: 'referral',
    english: /\breferr(al|als|ed)\b|\brefer\b/i,
    chosen: { th: /ส่งต่อ/, 'zh-Hans': /转介/, ko: /의뢰/, vi: /chuyển gửi/i },
    avoid: { vi: /chuyển tuyến/i },
  },
  {
    term: 'hand over (people to another key worker)',
    english: /\bhand(ed)?[- ]over\b/i,
    chosen: { th: /โอน/, 'zh-Hans': /移交/, ko: /인계/, vi: /bàn giao/i },
    // Thai ส่งต่อ is the referral: handing people over must not read as referring them.
    avoid: { th: /ส่งต่อ/ },
    otherSense: ['admin.users.confirm.resetPasswordBody'], // handing a password to its owner
  },
  {
    term: 'follow-up',
    english: /\bfollow-ups?\b(?! ratings)/i, // "follow-up ratings" are repeat outcome ratings
    chosen: { th: /งานติดตาม/, 'zh-Hans': /跟进事项/, ko: /후속 조치/, vi: /việc cần theo dõi/i },
  },
  {
    term: 'contact (a logged meeting with a person)',
    english: /\bcontacts?\b/i,
    chosen: { th: /ติดต่อ/, 'zh-Hans': /联系/, ko: /상담/, vi: /liên hệ/i },
    otherSense: [
      'taxonomy.referralStatus.lost_contact',
      'taxonomy.circumstance.police_contact',
      'taxonomy.consentScope.contact_details',
      'errors.fieldName.contactDetails', // a phone number or address, not a logged contact
      'admin.keys.rotation.errors.unreadable_fields', // "your technical contact"
      'admin.keys.rotation.errors.internal_error',
    ],
  },
  {
    term: 'post-raid intake',
    english: /\bpost-raid intake\b/i,
    chosen: {
      th: /การรับเข้าหลังการบุกค้น/,
      'zh-Hans': /突击检查后接案/,
      ko: /단속 후 접수/,
      vi: /tiếp nhận sau đột kích/i,
    },
  },
  {
    term: 'raid',
    english: /\braid(s|ed)?\b/i,
    chosen: {
      th: /บุกค้น|ตรวจค้น/,
      'zh-Hans': /突击检查|搜查/,
      ko: /단속|수색/,
      vi: /đột kích|khám xét/i,
    },
  },
  {
    term: 'consent',
    english: /\bconsents?\b/i,
    chosen: { th: /ยินยอม/, 'zh-Hans': /同意/, ko: /동의/, vi: /đồng ý/i },
  },
  {
    term: 'reveal (identity, on screen, for a stated reason)',
    english: /\breveal(s|ed|ing)?\b/i,
    chosen: { th: /เปิดดู/, 'zh-Hans': /显示|查看/, ko: /열람|보기/, vi: /hiện|hiển thị|xem/i },
    // Thai เปิดเผย and Korean 공개 mean making something public, and are the disclosure words.
    avoid: { th: /เปิดเผย/, ko: /공개/ },
  },
  {
    term: 'erase / erasure',
    english: /\beras(e|ed|ure|ing)\b/i,
    chosen: { th: /ลบ/, 'zh-Hans': /删除/, ko: /삭제/, vi: /xóa/i },
    avoid: { 'zh-Hans': /抹除|清除/ },
  },
  {
    term: 'lockdown',
    english: /\blockdown\b/i,
    chosen: { th: /ล็อกดาวน์/, 'zh-Hans': /锁定/, ko: /잠금/, vi: /phong tỏa/i },
  },
  {
    term: 'access log',
    english: /\baccess[- ]log\b/i,
    chosen: { th: /บันทึกการเข้าถึง/, 'zh-Hans': /访问日志/, ko: /접근 기록/, vi: /nhật ký truy cập/i },
  },
  {
    term: 'disclosure (to police, immigration or a court)',
    english: /\bdisclos(e|ed|ure|ures)\b/i,
    chosen: { th: /เปิดเผย/, 'zh-Hans': /调取|提供/, ko: /제공/, vi: /cung cấp/i },
    // 披露 and 공개 read as a public (press, freedom-of-information) disclosure.
    avoid: { 'zh-Hans': /披露/, ko: /공개/ },
  },
  {
    term: 'decoy record',
    english: /\bdecoys?\b/i,
    chosen: { th: /ระเบียนล่อ/, 'zh-Hans': /诱饵/, ko: /미끼/, vi: /mồi/i },
  },
  {
    term: 'partner (organisation)',
    english: /\bpartners?\b/i,
    chosen: { th: /พันธมิตร/, 'zh-Hans': /合作机构/, ko: /협력 기관/, vi: /đối tác/i },
  },
  {
    term: 'retention',
    english: /\bretention\b/i,
    chosen: { th: /เก็บรักษา/, 'zh-Hans': /保留/, ko: /보존/, vi: /lưu giữ/i },
  },
  {
    term: 'organisation',
    english: /\borganisations?\b/i,
    chosen: { th: /องค์กร/, 'zh-Hans': /机构/, ko: /기관/, vi: /tổ chức/i },
  },
  {
    term: 'alias',
    english: /\balias\b/i,
    chosen: { th: /ชื่อเล่น/, 'zh-Hans': /别名/, ko: /별칭/, vi: /biệt danh/i },
  },
  {
    term: 'merge',
    english: /\bmerg(e|ed|es|ing)\b/i,
    chosen: { th: /รวม/, 'zh-Hans': /合并|并入/, ko: /병합/, vi: /gộp/i },
  },
  {
    term: 'correction',
    english: /\bcorrect(ion|ions|ed|ing)?\b/i,
    chosen: { th: /แก้ไข/, 'zh-Hans': /更正/, ko: /정정/, vi: /sửa/i },
  },
  {
    term: 'outcome',
    english: /\boutcomes?\b/i,
    chosen: { th: /ผลลัพธ์/, 'zh-Hans': /结果|成效/, ko: /결과|성과/, vi: /kết quả/i },
  },
  {
    term: 'staff',
    english: /\bstaff\b/i,
    chosen: { th: /เจ้าหน้าที่/, 'zh-Hans': /工作人员/, ko: /직원/, vi: /nhân viên/i },
  },
  {
    term: 'sign in',
    english: /\bsign(ed|ing|s)?[- ]in\b/i,
    chosen: { th: /เข้าสู่ระบบ/, 'zh-Hans': /登录/, ko: /로그인/, vi: /đăng nhập/i },
    avoid: { th: /ลงชื่อเข้าใช้/ },
    idiom: { th: ['session.warning.stay'] }, // "Stay signed in": อยู่ในระบบต่อ, "stay in the system"
  },
  {
    term: 'sex worker',
    english: /\bsex[- ]work/i,
    chosen: { th: /พนักงานบริการ/, 'zh-Hans': /性工作者/, ko: /성노동자/, vi: /lao động tình dục/i },
  },
  {
    term: 'peer',
    english: /\bpeer\b/i,
    chosen: { th: /เพื่อนช่วยเพื่อน/, 'zh-Hans': /同伴/, ko: /동료/, vi: /đồng đẳng/i },
  },
  {
    term: 'outreach',
    english: /\boutreach\b/i,
    chosen: { th: /ลงพื้นที่/, 'zh-Hans': /外展/, ko: /아웃리치/, vi: /tiếp cận cộng đồng/i },
  },
  {
    term: 'interpreter',
    english: /\binterpreters?\b/i,
    chosen: { th: /ล่าม/, 'zh-Hans': /口译/, ko: /통역/, vi: /phiên dịch/i },
  },
];

/** Words that stigmatise the people Harbour serves (or call them victims). Never used. */
const BANNED: Readonly<Record<Translated, RegExp>> = {
  th: /โสเภณี|ขายตัว|หญิงขายบริการ|หญิงบริการ|กะหรี่|เหยื่อ|ต่างด้าว|แรงงานเถื่อน|ลักลอบเข้าเมือง/,
  'zh-Hans': /卖淫|妓|娼|失足|受害者|受害人|非法移民|黑工|偷渡|扫黄/,
  ko: /매춘|매매춘|윤락|창녀|성매매\s?여성|피해자|불법\s?체류|화류/,
  vi: /mại dâm|gái điếm|\bđiếm\b|\bcave\b|nạn nhân|nhập cư bất hợp pháp|lao động chui|tệ nạn/i,
};

/** Characters that exist only in Traditional Chinese (their Simplified forms differ). */
const TRADITIONAL_ONLY = [
  ...'們個這說與為從來記錄聯繫資請認證時間會對點員機構轉電話號碼體開關於過還無沒顯將經後裡處應選擇訪問審計隱刪權實際達載護門區變歲給讀寫標導設網頁帳戶鎖級單',
];

/** One register per language: the word that would break it. */
const OFF_REGISTER: Readonly<Partial<Record<Translated, RegExp>>> = {
  th: /กรุณา/, // โปรด throughout
  'zh-Hans': /你(?!们)/, // 您 for the worker throughout
  ko: /회원님/, // a shop's word for a customer, not for a colleague
};

/** Questions a worker reads aloud to the person they support: 你 is the warm, peer form there. */
const SPOKEN_TO_THE_PERSON = /^outcomes\.domains\.\w+\.question$/;

/** Strings that may stay as in English: names, numbers and words the language has adopted. */
const SAME_AS_ENGLISH: Readonly<Record<Translated, readonly string[]>> = {
  th: ['app.name'],
  'zh-Hans': ['app.name'],
  ko: ['app.name'],
  vi: ['app.name', 'session.warning.continue', 'auth.signIn.email', 'admin.users.fields.email'], // "OK", "Email"
};

function flatten(translation: Translation, prefix = ''): Map<string, string> {
  const entries = new Map<string, string>();
  for (const [key, value] of Object.entries(translation)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (typeof value === 'string') entries.set(path, value);
    else if (typeof value === 'object' && value !== null) {
      for (const [nested, text] of flatten(value as Translation, path)) entries.set(nested, text);
    }
  }
  return entries;
}

/** The English a reader sees as words: no {{placeholders}}, no "quoted" literal words. */
function englishWords(text: string): string {
  return text.replace(/\{\{\s*\w+\s*\}\}/g, ' ').replace(/"[^"]*"/g, ' ');
}

const english = flatten(TRANSLATIONS.en);

describe('glossary', () => {
  it('has exemptions only for keys that exist and use the term', () => {
    const stale = GLOSSARY.flatMap((term) =>
      [...(term.otherSense ?? []), ...Object.values(term.idiom ?? {}).flat()]
        .filter((key) => !term.english.test(englishWords(english.get(key) ?? '')))
        .map((key) => `${term.term}: ${key}`),
    );
    expect(stale).toEqual([]);
  });

  it('finds every term in the English it checks', () => {
    const unused = GLOSSARY.filter(
      (term) => ![...english.values()].some((text) => term.english.test(englishWords(text))),
    ).map((term) => term.term);
    expect(unused).toEqual([]);
  });

  describe.each(TRANSLATED)('%s', (code) => {
    const translated = flatten(TRANSLATIONS[code]);

    it.each(GLOSSARY.map((term) => [term.term, term] as const))(
      'renders "%s" as the glossary says',
      (_name, term) => {
        const exempt = new Set([...(term.otherSense ?? []), ...(term.idiom?.[code] ?? [])]);
        const chosen = term.chosen[code];
        const avoid = term.avoid?.[code];
        const wrong = [...english]
          .filter(([key, source]) => !exempt.has(key) && term.english.test(englishWords(source)))
          .map(([key]) => [key, translated.get(key) ?? ''] as const)
          .filter(([, text]) => !chosen.test(text) || (avoid?.test(text) ?? false))
          .map(([key, text]) => `${key}: ${text}`);
        expect(wrong).toEqual([]);
      },
    );

    it('uses no stigmatising term', () => {
      const found = [...translated]
        .filter(([, text]) => BANNED[code].test(text))
        .map(([key, text]) => `${key}: ${text}`);
      expect(found).toEqual([]);
    });

    it('keeps one register', () => {
      const offRegister = OFF_REGISTER[code];
      const found = [...translated]
        .filter(
          ([key, text]) => !SPOKEN_TO_THE_PERSON.test(key) && (offRegister?.test(text) ?? false),
        )
        .map(([key, text]) => `${key}: ${text}`);
      expect(found).toEqual([]);
    });

    it('leaves nothing in English but names and adopted words', () => {
      const allowed = new Set(SAME_AS_ENGLISH[code]);
      const same = [...translated]
        .filter(([key, text]) => text === english.get(key) && /\p{L}/u.test(text))
        .map(([key]) => key)
        .filter((key) => !allowed.has(key));
      expect(same).toEqual([]);
    });
  });

  it('writes Simplified Chinese only in Simplified characters', () => {
    const found = [...flatten(TRANSLATIONS['zh-Hans'])]
      .filter(([, text]) => TRADITIONAL_ONLY.some((character) => text.includes(character)))
      .map(([key, text]) => `${key}: ${text}`);
    expect(found).toEqual([]);
  });

  it('spaces the Thai repetition mark ๆ as the Royal Institute does ("อื่น ๆ")', () => {
    const found = [...flatten(TRANSLATIONS.th)]
      .filter(([, text]) => /\Sๆ|ๆ[\u0E00-\u0E7F]/.test(text))
      .map(([key, text]) => `${key}: ${text}`);
    expect(found).toEqual([]);
  });
});
