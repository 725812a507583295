import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { mulberry32 } from '../audit/events';

/**
 * The labelled name-variant set (tools/fixtures/name-variants.json): synthetic people whose names
 * are combined from common given and family names of the communities Harbour serves (no real
 * person, none of the canary names), each with one to three query variants labelled by type.
 * `node --require ./tools/bench/register.cjs tools/bench/lookup/variants.ts` rewrites the file
 * (deterministic: same seed, same set); the lookup bench and the persons medium spec read it.
 */

export const VARIANT_TYPES = [
  'typo',
  'transposition',
  'missing_letter',
  'alternative_transliteration',
  'native_stored_latin_typed',
  'latin_stored_native_typed',
] as const;
export type VariantType = (typeof VARIANT_TYPES)[number];

export interface VariantPerson {
  readonly id: string;
  readonly community: string;
  readonly given: string;
  readonly family: string;
  readonly dateOfBirth: string;
  readonly sex: 'female' | 'male';
  readonly variants: readonly { readonly type: VariantType; readonly query: string }[];
}

export interface VariantSet {
  readonly about: string;
  readonly people: readonly VariantPerson[];
}

export const VARIANTS_PATH = resolve(__dirname, '../../fixtures/name-variants.json');

export function loadVariantSet(): VariantSet {
  return JSON.parse(readFileSync(VARIANTS_PATH, 'utf8')) as VariantSet;
}

/** A name with its Latin spellings: the first is the usual one, others are alternatives. */
interface Name {
  readonly native?: string;
  readonly latin: readonly string[];
}

const n = (latin: string, ...alternatives: string[]): Name => ({ latin: [latin, ...alternatives] });
const s = (native: string, latin: string, ...alternatives: string[]): Name => ({
  native,
  latin: [latin, ...alternatives],
});

interface Community {
  readonly name: string;
  /** Family name first when typed (East Asian, Vietnamese order). */
  readonly familyFirst: boolean;
  readonly given: readonly Name[];
  readonly family: readonly Name[];
}

const COMMUNITIES: readonly Community[] = [
  {
    name: 'Thai',
    familyFirst: false,
    given: [
      s('สมชาย', 'Somchai', 'Somchay'),
      s('สมศักดิ์', 'Somsak', 'Somsuk'),
      s('มาลัย', 'Malai', 'Malay'),
      s('สุดา', 'Suda', 'Sudaa'),
      s('วิไล', 'Wilai', 'Vilai'),
      s('บุญมี', 'Bunmi', 'Boonmee'),
      s('นิภา', 'Nipha', 'Nipa'),
      s('อรุณ', 'Arun', 'Aroon'),
      s('ปราณี', 'Prani', 'Pranee'),
      s('กาญจนา', 'Kanchana', 'Kanjana'),
      s('วันเพ็ญ', 'Wanphen', 'Wanpen'),
      s('อำไพ', 'Amphai', 'Ampai'),
      s('มณี', 'Mani', 'Manee'),
      s('ชัยวัฒน์', 'Chaiwat', 'Chaiwath'),
      s('นงลักษณ์', 'Nonglak', 'Nongluck'),
      s('พิมพ์', 'Phim', 'Pim'),
    ],
    family: [
      s('ใจดี', 'Chaidi', 'Jaidi'),
      s('ทองคำ', 'Thongkham', 'Tongkham'),
      s('ศรีสุข', 'Sisuk', 'Srisuk'),
      s('สายทอง', 'Saithong', 'Saitong'),
      s('ทองมา', 'Thongma', 'Tongma'),
      s('สุขใจ', 'Sukchai', 'Sukjai'),
      s('มีสุข', 'Misuk', 'Meesuk'),
      s('แก้วมณี', 'Kaeomani', 'Kaewmanee'),
      s('บุญมา', 'Bunma', 'Boonma'),
      s('ดวงดี', 'Duangdi', 'Duangdee'),
    ],
  },
  {
    name: 'Korean',
    familyFirst: true,
    given: [
      s('민준', 'Minjun', 'Min-jun'),
      s('서연', 'Seoyeon', 'Seo-yeon'),
      s('지훈', 'Jihun', 'Ji-hoon'),
      s('현우', 'Hyeonu', 'Hyun-woo'),
      s('수빈', 'Subin', 'Soo-bin'),
      s('예진', 'Yejin', 'Ye-jin'),
      s('도윤', 'Doyun', 'Do-yoon'),
      s('하은', 'Haeun', 'Ha-eun'),
      s('성민', 'Seongmin', 'Sung-min'),
      s('영희', 'Yeonghui', 'Young-hee'),
      s('은지', 'Eunji', 'Eun-ji'),
      s('동현', 'Donghyeon', 'Dong-hyun'),
    ],
    family: [
      s('김', 'Kim', 'Gim'),
      s('박', 'Park', 'Bak'),
      s('최', 'Choi', 'Choe'),
      s('정', 'Jung', 'Jeong'),
      s('강', 'Kang', 'Gang'),
      s('조', 'Cho', 'Jo'),
      s('윤', 'Yoon', 'Yun'),
      s('장', 'Jang', 'Chang'),
      s('한', 'Han', 'Hahn'),
      s('임', 'Lim', 'Im'),
      s('이', 'Lee', 'Yi'),
    ],
  },
  {
    name: 'Chinese',
    familyFirst: true,
    given: [
      s('秀英', 'Xiuying', 'Siu Ying'),
      s('美玲', 'Meiling', 'Mei Ling'),
      s('伟', 'Wei', 'Way'),
      s('芳', 'Fang', 'Fong'),
      s('敏', 'Min', 'Man'),
      s('静', 'Jing', 'Ching'),
      s('强', 'Qiang', 'Chiang'),
      s('磊', 'Lei', 'Lui'),
      s('军', 'Jun', 'Chun'),
      s('艳', 'Yan', 'Yen'),
      s('杰', 'Jie', 'Kit'),
      s('秀兰', 'Xiulan', 'Hsiu-lan'),
      s('桂英', 'Guiying', 'Kwai Ying'),
      s('志明', 'Zhiming', 'Chi-ming'),
    ],
    family: [
      s('王', 'Wang', 'Wong'),
      s('李', 'Li', 'Lee'),
      s('张', 'Zhang', 'Chang'),
      s('刘', 'Liu', 'Lau'),
      s('陈', 'Chen', 'Chan'),
      s('杨', 'Yang', 'Yeung'),
      s('黄', 'Huang', 'Wong'),
      s('赵', 'Zhao', 'Chao'),
      s('吴', 'Wu', 'Ng'),
      s('周', 'Zhou', 'Chow'),
      s('林', 'Lin', 'Lam'),
    ],
  },
  {
    name: 'Vietnamese',
    familyFirst: true,
    given: [
      n('Thị Hương', 'Thi Huong'),
      n('Thị Mai', 'Thi Mai'),
      n('Thị Thảo', 'Thi Thao'),
      n('Thị Trang', 'Thi Trang'),
      n('Văn Hùng', 'Van Hung'),
      n('Văn Dũng', 'Van Dung', 'Van Zung'),
      n('Minh Tuấn', 'Minh Tuan'),
      n('Ngọc Anh', 'Ngoc Anh'),
      n('Thu Hà', 'Thu Ha'),
      n('Hoàng Long', 'Hoang Long'),
      n('Thanh Hoa', 'Thanh Hoa'),
      n('Quốc Bảo', 'Quoc Bao'),
    ],
    family: [
      n('Nguyễn', 'Nguyen', 'Nguyen'),
      n('Trần', 'Tran'),
      n('Lê', 'Le'),
      n('Phạm', 'Pham', 'Fam'),
      n('Hoàng', 'Hoang', 'Huang'),
      n('Huỳnh', 'Huynh'),
      n('Phan', 'Phan'),
      n('Vũ', 'Vu', 'Voo'),
      n('Võ', 'Vo'),
      n('Đặng', 'Dang'),
      n('Bùi', 'Bui'),
      n('Đỗ', 'Do', 'Doh'),
    ],
  },
  {
    name: 'Filipino',
    familyFirst: false,
    given: [
      n('Maria Cristina'),
      n('Marites'),
      n('Jocelyn', 'Joselyn'),
      n('Rowena'),
      n('Mylene', 'Mylyn'),
      n('Analyn', 'Annalyn'),
      n('Jennelyn', 'Jenelyn'),
      n('Rodrigo'),
      n('Rosario'),
      n('Ma. Luisa', 'Maria Luisa'),
      n('Lorna'),
      n('Ramil'),
    ],
    family: [
      n('Santos'),
      n('Reyes'),
      n('Bautista'),
      n('Ocampo'),
      n('Mendoza'),
      n('Villanueva', 'Villa Nueva'),
      n('Dela Cruz', 'Delacruz'),
      n('Macaraeg'),
      n('Pangilinan'),
      n('Dimaculangan'),
      n('Agbayani'),
    ],
  },
  {
    name: 'Latin American',
    familyFirst: false,
    given: [
      n('Lucía', 'Lucia'),
      n('Guadalupe'),
      n('Ximena', 'Jimena'),
      n('Alejandro'),
      n('Jorge', 'George'),
      n('Valentina'),
      n('Yesenia', 'Yessenia'),
      n('Wilmer', 'Vilmer'),
      n('Maricela', 'Marisela'),
      n('Yolanda'),
      n('Edwin'),
    ],
    family: [
      n('González', 'Gonzales'),
      n('Rodríguez', 'Rodrigues'),
      n('Hernández', 'Hernandes'),
      n('Quispe', 'Quispi'),
      n('Mamani'),
      n('Gutiérrez', 'Gutierres'),
      n('Vásquez', 'Vazquez'),
      n('Huamán', 'Guaman'),
      n('Choque'),
      n('Sandoval'),
      n('Zelaya', 'Selaya'),
    ],
  },
  {
    name: 'Eastern European',
    familyFirst: false,
    given: [
      n('Olena', 'Alena'),
      n('Oksana', 'Oxana'),
      n('Nataliya', 'Natalia'),
      n('Iryna', 'Irina'),
      n('Svitlana', 'Svetlana'),
      n('Yuliia', 'Yulia'),
      n('Tetiana', 'Tatiana'),
      n('Mihaela', 'Michaela'),
      n('Agnieszka', 'Agnieshka'),
      n('Dmytro', 'Dmitro'),
      n('Andriy', 'Andrii'),
    ],
    family: [
      n('Kovalenko', 'Kowalenko'),
      n('Shevchenko', 'Ševčenko'),
      n('Bondarenko'),
      n('Tkachuk', 'Tkaczuk'),
      n('Kowalska', 'Kovalska'),
      n('Nowak', 'Novak'),
      n('Popescu', 'Popesku'),
      n('Ionescu', 'Ionesku'),
      n('Moroz'),
      n('Hrytsenko', 'Gritsenko'),
      n('Wiśniewska', 'Wisniewska'),
    ],
  },
  {
    name: 'West African',
    familyFirst: false,
    given: [
      n('Oluwaseun', 'Oluwasegun'),
      n('Adebayo', 'Adebayor'),
      n('Chiamaka'),
      n('Ngozi'),
      n('Abena'),
      n('Kwame', 'Kwamé'),
      n('Akosua'),
      n('Kofi'),
      n('Fatoumata', 'Fatumata'),
      n('Aminata'),
      n('Mariama', 'Mariam'),
    ],
    family: [
      n('Adeyemi'),
      n('Okafor', 'Okaphor'),
      n('Mensah', 'Mensa'),
      n('Asante', 'Ashanti'),
      n('Diallo', 'Dialo'),
      n('Traoré', 'Traore'),
      n('Coulibaly', 'Kulibali'),
      n('Ouédraogo', 'Wedraogo'),
      n('Nwosu'),
      n('Boateng'),
      n('Sesay', 'Sese'),
    ],
  },
];

const LETTERS = 'abcdefghijklmnoprstuvwy';

/** One edit to the longest Latin token of a name (at a random position). */
function edit(
  name: string,
  type: 'typo' | 'transposition' | 'missing_letter',
  r: () => number,
): string {
  const tokens = name.split(' ');
  let at = 0;
  tokens.forEach((t, i) => {
    if (t.length > tokens[at]!.length) at = i;
  });
  // A random token of at least four letters, else the longest.
  const long = tokens.map((t, i) => [t, i] as const).filter(([t]) => t.length >= 4);
  if (long.length > 0) at = long[Math.floor(r() * long.length)]![1];
  const t = [...tokens[at]!];
  for (let attempt = 0; attempt < 20; attempt++) {
    const copy = [...t];
    const i = 1 + Math.floor(r() * (copy.length - 1));
    if (type === 'typo') {
      const letter = LETTERS[Math.floor(r() * LETTERS.length)]!;
      if (copy[i]!.toLowerCase() === letter) continue;
      copy[i] = letter;
    } else if (type === 'transposition') {
      if (i + 1 >= copy.length || copy[i] === copy[i + 1]) continue;
      [copy[i], copy[i + 1]] = [copy[i + 1]!, copy[i]!];
    } else copy.splice(i, 1);
    tokens[at] = copy.join('');
    return tokens.join(' ');
  }
  return name;
}

function isoDate(r: () => number): string {
  const year = 1960 + Math.floor(r() * 45);
  const month = 1 + Math.floor(r() * 12);
  const day = 1 + Math.floor(r() * 28);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function generateVariantSet(perCommunity = 26): VariantSet {
  const r = mulberry32(0x17a17);
  const canaries = (
    JSON.parse(readFileSync(resolve(__dirname, '../../fixtures/canary-names.json'), 'utf8')) as {
      people: { given: string; family: string }[];
    }
  ).people;
  const canaryTokens = new Set(
    canaries.flatMap((c) => `${c.given} ${c.family}`.toLowerCase().split(/[\s-]+/u)),
  );
  const people: VariantPerson[] = [];
  const seen = new Set<string>();
  for (const community of COMMUNITIES) {
    let made = 0;
    for (let attempt = 0; made < perCommunity && attempt < 5000; attempt++) {
      const given = community.given[Math.floor(r() * community.given.length)]!;
      const family = community.family[Math.floor(r() * community.family.length)]!;
      const hasNative = given.native !== undefined && family.native !== undefined;
      const storedNative = hasNative && r() < 0.5;
      const storedGiven = storedNative ? given.native : given.latin[0]!;
      const storedFamily = storedNative ? family.native : family.latin[0]!;
      const key = `${storedGiven}|${storedFamily}`;
      const tokens = `${given.latin[0]} ${family.latin[0]}`.toLowerCase().split(/[\s-]+/u);
      // None of the canary people, nor two canary tokens in one name.
      if (seen.has(key) || tokens.filter((t) => canaryTokens.has(t)).length >= 2) continue;
      seen.add(key);
      const typed = (g: string, f: string): string => {
        const familyFirst = community.familyFirst ? r() < 0.8 : r() < 0.2;
        return familyFirst ? `${f} ${g}` : `${g} ${f}`;
      };
      const latin = typed(given.latin[0]!, family.latin[0]!);
      const options: { type: VariantType; query: string }[] = [];
      for (const type of ['typo', 'transposition', 'missing_letter'] as const) {
        options.push({ type, query: edit(latin, type, r) });
      }
      const altGiven = given.latin.length > 1 ? given.latin[1]! : given.latin[0]!;
      const altFamily = family.latin.length > 1 ? family.latin[1]! : family.latin[0]!;
      if (altGiven !== given.latin[0] || altFamily !== family.latin[0]) {
        const useGiven =
          altGiven !== given.latin[0] && (altFamily === family.latin[0] || r() < 0.5);
        options.push({
          type: 'alternative_transliteration',
          query: typed(
            useGiven ? altGiven : given.latin[0]!,
            useGiven ? family.latin[0]! : altFamily,
          ),
        });
      }
      if (hasNative && storedNative) {
        options.push({ type: 'native_stored_latin_typed', query: latin });
        options.push({
          type: 'native_stored_latin_typed',
          query: typed(altGiven, family.latin[0]!),
        });
      }
      if (hasNative && !storedNative) {
        // Thai is written with a space between given and family name; Korean and Chinese names
        // are usually written family name first without one.
        const native =
          community.name === 'Thai'
            ? `${given.native} ${family.native}`
            : `${family.native}${given.native}`;
        options.push({ type: 'latin_stored_native_typed', query: native });
      }
      // One to three variants: the script and transliteration ones first when there are any.
      const special = options.filter(
        (o) => !['typo', 'transposition', 'missing_letter'].includes(o.type),
      );
      const edits = options.filter((o) =>
        ['typo', 'transposition', 'missing_letter'].includes(o.type),
      );
      const count = 1 + Math.floor(r() * 3);
      const chosen: { type: VariantType; query: string }[] = [];
      for (const o of [...special.sort(() => r() - 0.5), ...edits.sort(() => r() - 0.5)]) {
        if (chosen.length >= count) break;
        if (chosen.some((c) => c.query === o.query)) continue;
        if (o.query === `${storedGiven} ${storedFamily}` || o.query === latin) {
          if (o.type !== 'native_stored_latin_typed') continue;
        }
        chosen.push(o);
      }
      // Make sure every type appears across the set: fill with an edit when few were chosen.
      if (chosen.length === 0) chosen.push(edits[0]!);
      made++;
      people.push({
        id: `${community.name.toLowerCase().replace(/\s+/gu, '-')}-${String(made).padStart(2, '0')}`,
        community: community.name,
        given: storedGiven,
        family: storedFamily,
        dateOfBirth: isoDate(r),
        sex: r() < 0.5 ? 'female' : 'male',
        variants: chosen,
      });
    }
  }
  return {
    about:
      'Synthetic labelled name variants for the similar-name lookup (ADR 0010): people whose names combine common given and family names of the communities Harbour serves (no real person; none of tools/fixtures/canary-names.json), each stored as given/family (in Thai, Hangul or Han script for about half of those communities) with one to three queries as a caseworker might type them, labelled by type. Generated by tools/bench/lookup/variants.ts; used by npm run bench:lookup and the persons medium spec.',
    people,
  };
}

if (require.main === module) {
  const set = generateVariantSet();
  writeFileSync(VARIANTS_PATH, `${JSON.stringify(set, null, 1)}\n`);
  const byType = new Map<string, number>();
  for (const p of set.people)
    for (const v of p.variants) byType.set(v.type, (byType.get(v.type) ?? 0) + 1);
  process.stdout.write(
    `${set.people.length} people, ${[...byType].map(([t, c]) => `${t} ${c}`).join(', ')}\n`,
  );
}
