/**
 * The languages the console ships, and the API writes what a person reads in (CSV headers and
 * labels): one list for both. A staff account remembers one of them (`PUT /api/me/language`);
 * null means "not chosen", and the browser's preference applies.
 */
export const STAFF_LANGUAGES = ['en', 'th', 'vi', 'zh-Hans', 'ko'] as const;
export type StaffLanguage = (typeof STAFF_LANGUAGES)[number];

export const DEFAULT_STAFF_LANGUAGE: StaffLanguage = 'en';

export function isStaffLanguage(value: unknown): value is StaffLanguage {
  return typeof value === 'string' && (STAFF_LANGUAGES as readonly string[]).includes(value);
}

/** `PUT /api/me/language`: the signed-in person's own console language. */
export interface SetLanguageRequest {
  /** One of `STAFF_LANGUAGES`; anything else answers 422 `language_unsupported`. */
  readonly language: string;
}

/** Chinese regions that write Traditional characters by default. */
const TRADITIONAL_CHINESE_REGIONS: readonly string[] = ['tw', 'hk', 'mo'];

/**
 * Maps one BCP 47 tag (`th-TH`, `zh-CN`, `zh-Hant-TW`, `ko`) to a supported language, or null.
 * Traditional Chinese is not offered as Simplified: a reader of Traditional Chinese more likely
 * prefers their next listed language (often English) to the wrong script.
 */
export function matchStaffLanguage(tag: string): StaffLanguage | null {
  const parts = tag.trim().toLowerCase().replace(/_/g, '-').split('-');
  const primary = parts[0] ?? '';
  if (primary === 'zh') {
    const script = parts.slice(1).find((part) => part.length === 4);
    if (script === 'hans') return 'zh-Hans';
    if (script === 'hant') return null;
    const region = parts.slice(1).find((part) => part.length === 2);
    return region !== undefined && TRADITIONAL_CHINESE_REGIONS.includes(region) ? null : 'zh-Hans';
  }
  return STAFF_LANGUAGES.find((code) => code === primary) ?? null;
}

/** The first of `preferences` that is supported, else English. */
export function pickStaffLanguage(preferences: readonly string[]): StaffLanguage {
  for (const tag of preferences) {
    const match = matchStaffLanguage(tag);
    if (match !== null) return match;
  }
  return DEFAULT_STAFF_LANGUAGE;
}

/**
 * The tags of an `Accept-Language` header, most preferred first (by `q`, then by order);
 * `q=0` means "not this one" and `*` names nothing in particular.
 */
export function acceptLanguageTags(header: string | undefined | null): string[] {
  if (header === undefined || header === null) return [];
  const entries: { tag: string; q: number; at: number }[] = [];
  header.split(',').forEach((part, at) => {
    const [tagPart = '', ...params] = part.split(';');
    const tag = tagPart.trim();
    if (tag === '' || tag === '*' || tag.length > 35) return;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!Number.isFinite(q) || q <= 0) return;
    entries.push({ tag, q, at });
  });
  return entries.sort((a, b) => b.q - a.q || a.at - b.at).map((entry) => entry.tag);
}

/** The language the API writes in: the account's choice, else `Accept-Language`, else English. */
export function requestLanguage(
  account: StaffLanguage | null,
  acceptLanguage: string | undefined | null,
): StaffLanguage {
  return account ?? pickStaffLanguage(acceptLanguageTags(acceptLanguage));
}
