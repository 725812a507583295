/**
 * The languages the console ships translations for. `nativeName` is each language's name in
 * itself (an autonym), shown untranslated so that a person can find their own language whatever
 * language the screen is currently in.
 */
export const LANGUAGES = [
  { code: 'en', nativeName: 'English' },
  { code: 'th', nativeName: 'ไทย' },
  { code: 'vi', nativeName: 'Tiếng Việt' },
  { code: 'zh-Hans', nativeName: '简体中文' },
  { code: 'ko', nativeName: '한국어' },
] as const;

export type Language = (typeof LANGUAGES)[number];
export type LanguageCode = Language['code'];

export const DEFAULT_LANGUAGE: LanguageCode = 'en';

export const LANGUAGE_CODES: readonly LanguageCode[] = LANGUAGES.map((language) => language.code);

export function isLanguageCode(value: unknown): value is LanguageCode {
  return typeof value === 'string' && (LANGUAGE_CODES as readonly string[]).includes(value);
}

export function languageByCode(code: LanguageCode): Language {
  return LANGUAGES.find((language) => language.code === code) ?? LANGUAGES[0];
}

/** Chinese regions that write Traditional characters by default. */
const TRADITIONAL_CHINESE_REGIONS: readonly string[] = ['tw', 'hk', 'mo'];

/**
 * Maps one BCP 47 tag from the browser (`th-TH`, `zh-CN`, `zh-Hant-TW`, `ko`) to a supported
 * language, or null. Traditional Chinese is not offered as Simplified: a reader of Traditional
 * Chinese more likely prefers their next listed language (often English) to the wrong script.
 */
export function matchLanguage(tag: string): LanguageCode | null {
  const parts = tag.trim().toLowerCase().replace(/_/g, '-').split('-');
  const primary = parts[0] ?? '';
  if (primary === 'zh') {
    const script = parts.slice(1).find((part) => part.length === 4);
    if (script === 'hans') return 'zh-Hans';
    if (script === 'hant') return null;
    const region = parts.slice(1).find((part) => part.length === 2);
    return region !== undefined && TRADITIONAL_CHINESE_REGIONS.includes(region) ? null : 'zh-Hans';
  }
  return LANGUAGE_CODES.find((code) => code === primary) ?? null;
}

/** The first of the browser's preferred languages that we support, else English. */
export function pickLanguage(preferences: readonly string[]): LanguageCode {
  for (const tag of preferences) {
    const match = matchLanguage(tag);
    if (match !== null) return match;
  }
  return DEFAULT_LANGUAGE;
}

/**
 * The locale to hand `Intl` for a language. Thai dates are written in the Buddhist era (2026 is
 * 2569), pinned here (`th-TH-u-ca-buddhist`) rather than left to the browser's default: it is
 * the calendar Thai readers use — on ID cards, government and immigration forms, and the reports
 * funders receive — so a Thai screen that counted years otherwise would be the one to misread.
 * Machine formats stay Gregorian everywhere (ISO dates in the API, in date fields' values and in
 * CSV timestamps), so nothing stored or exchanged depends on this choice. The other languages'
 * defaults are already Gregorian.
 */
export function intlLocale(language: string): string {
  return language === 'th' ? 'th-TH-u-ca-buddhist' : language;
}
