import type { SubjectExportLanguage } from '@harbour/domain';
import en from './catalogue/en.json';
import ko from './catalogue/ko.json';
import th from './catalogue/th.json';
import vi from './catalogue/vi.json';
import zhHans from './catalogue/zh-Hans.json';

/**
 * The words of a person's own-data document, one catalogue per console language, held on the
 * server: the document's own labels (`labels`), and the names of categories, roles, access-log
 * actions and outcomes as the console shows them (taken from the console's translations, so the
 * person reads the same words a worker does).
 */
export interface SubjectCatalogue {
  readonly labels: Readonly<Record<string, string>>;
  readonly taxonomy: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly roles: Readonly<Record<string, string>>;
  readonly actions: Readonly<Record<string, string>>;
  readonly outcomes: Readonly<Record<string, string>>;
  readonly checkIn: Readonly<Record<string, string>>;
}

export const SUBJECT_CATALOGUES: Readonly<Record<SubjectExportLanguage, SubjectCatalogue>> = {
  en,
  th,
  'zh-Hans': zhHans,
  ko,
  vi,
};

/** A label of the document in `language`; a missing one is a programming error, never English. */
export function label(catalogue: SubjectCatalogue, key: string): string {
  const text = catalogue.labels[key];
  if (text === undefined) throw new Error(`subject export: no label ${key}`);
  return text;
}
