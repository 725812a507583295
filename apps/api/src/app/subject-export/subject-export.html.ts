import type {
  ErasureReceiptRecord,
  SubjectExport,
  SubjectExportFull,
  SubjectExportLanguage,
} from '@harbour/domain';
import { label, SUBJECT_CATALOGUES, type SubjectCatalogue } from './subject-export.catalogue';

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = `body{font-family:system-ui,sans-serif;line-height:1.5;color:#111;max-width:52rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #999}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}th,td{text-align:start;vertical-align:top;padding:.25rem .5rem;border:1px solid #ccc}
th{width:35%;background:#f3f3f3;font-weight:600}.record{margin-bottom:1rem}.note{white-space:pre-wrap}
@media print{body{margin:0}h2{break-after:avoid}table{break-inside:avoid}}`;

type Row = readonly [labelKey: string, value: string | null];

/**
 * The export as one self-contained HTML document in `language`: inline style, no script, no
 * external resource (its own CSP says so), `lang` set; every label from the server's catalogue,
 * every category and date localised, every value escaped.
 */
export function renderSubjectExportHtml(document: SubjectExport): string {
  const c = SUBJECT_CATALOGUES[document.language];
  const r = new Renderer(c, document.language);
  const title = document.erased ? label(c, 'erasure.title') : label(c, 'title');
  const body = document.erased
    ? r.erasure(document.erasure)
    : [r.table([['code', document.code]]), r.full(document)].join('\n');
  return r.page(title, document.generatedAt, body, document.erased ? null : label(c, 'intro'));
}

/** The erasure receipt alone, as a document in `language`. */
export function renderErasureReceiptHtml(
  receipt: ErasureReceiptRecord,
  language: SubjectExportLanguage,
  generatedAt: string,
): string {
  const c = SUBJECT_CATALOGUES[language];
  const r = new Renderer(c, language);
  return r.page(label(c, 'erasure.title'), generatedAt, r.erasure(receipt), null);
}

class Renderer {
  private readonly dates: Intl.DateTimeFormat;
  private readonly times: Intl.DateTimeFormat;
  private readonly lists: Intl.ListFormat;

  constructor(
    private readonly c: SubjectCatalogue,
    private readonly language: SubjectExportLanguage,
  ) {
    this.dates = new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' });
    this.times = new Intl.DateTimeFormat(language, {
      dateStyle: 'long',
      timeStyle: 'short',
      timeZone: 'UTC',
    });
    this.lists = new Intl.ListFormat(language, { style: 'long', type: 'conjunction' });
  }

  page(title: string, generatedAt: string, body: string, intro: string | null): string {
    return `<!doctype html>
<html lang="${escapeHtml(this.language)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${intro === null ? '' : `<p>${escapeHtml(intro)}</p>`}
${this.table([['generatedAt', this.time(generatedAt)]])}
${body}
</main>
</body>
</html>
`;
  }

  erasure(e: ErasureReceiptRecord): string {
    const count = (n: number | null) => (n === null ? this.l('notRecorded') : String(n));
    const fields =
      e.identityFieldsRemoved === null
        ? this.l('notRecorded')
        : this.list(e.identityFieldsRemoved.map((f) => this.l(`fields.${f}`)));
    return [
      `<p>${escapeHtml(this.l('erasure.intro'))}</p>`,
      this.table([
        ['code', e.code],
        ['erasure.erasedAt', this.time(e.erasedAt)],
        ['erasure.identityFieldsRemoved', fields],
        ['erasure.indexEntriesRemoved', count(e.indexEntriesRemoved)],
        ['erasure.keysDestroyed', count(e.keysDestroyed)],
        ['erasure.notesShredded', count(e.notesShredded)],
        ['erasure.followUpsCancelled', count(e.followUpsCancelled)],
        ['erasure.backupsClearAt', this.date(e.backupsClearAt)],
      ]),
    ].join('\n');
  }

  full(d: SubjectExportFull): string {
    const p = d.person;
    const identity = Object.entries(d.identity).map(([field, value]): Row => [
      `fields.${field}`,
      field === 'sex' ? this.t('sex', value) : field === 'dateOfBirth' ? this.date(value) : value,
    ]);
    return [
      this.section('person', [
        [
          ['fields.createdAt', this.date(p.createdAt)],
          ['fields.restricted', this.yesNo(p.restricted)],
          ['fields.ageBand', this.t('ageBand', p.ageBand)],
          ['fields.regionOfOrigin', this.t('region', p.regionOfOrigin)],
          ['fields.languageGroup', p.languageGroup && this.t('language', p.languageGroup)],
          ['fields.genderIdentity', p.genderIdentity && this.t('gender', p.genderIdentity)],
          ['fields.consentToReporting', this.yesNo(p.consentToReporting)],
        ],
      ]),
      this.section('identity', identity.length === 0 ? [] : [identity]),
      this.section(
        'consents',
        d.consents.map((x) => [
          ['fields.purpose', this.t('consentPurpose', x.purpose)],
          ['fields.method', this.t('consentMethod', x.method)],
          ['fields.givenAt', this.date(x.givenAt)],
          ['fields.revokedAt', x.revokedAt && this.date(x.revokedAt)],
        ]),
      ),
      this.section(
        'contacts',
        d.contacts.map((x) => [
          ['fields.occurredOn', this.date(x.occurredOn)],
          ['fields.kind', this.l(`kind.${x.kind}`)],
          ['fields.channel', this.t('channel', x.channel)],
          ['fields.locationType', this.t('location', x.locationType)],
          ['fields.languageGroup', x.languageGroup && this.t('language', x.languageGroup)],
          ['fields.interpreterUsed', this.yesNo(x.interpreterUsed)],
          ['fields.peerLed', this.yesNo(x.peerLed)],
          [
            'fields.circumstances',
            this.list(x.circumstances.map((v) => this.t('circumstance', v))),
          ],
          ['fields.notes', x.notes],
          ...x.amendments.flatMap((a): Row[] => [
            ['fields.amendments', this.time(a.createdAt)],
            ['fields.reason', a.reason],
            ['fields.correctedNotes', a.notes],
          ]),
        ]),
      ),
      this.section(
        'needs',
        d.needs.map((x) => [
          ['fields.category', this.t('need', x.category)],
          ['fields.priority', this.t('priority', x.priority)],
          ['fields.status', this.t('needStatus', x.status)],
          ['fields.identifiedOn', this.date(x.identifiedOn)],
          ['fields.closedOn', x.closedOn && this.date(x.closedOn)],
        ]),
      ),
      this.section(
        'referrals',
        d.referrals.map((x) => [
          ['fields.partner', x.partnerName],
          ['fields.status', this.t('referralStatus', x.status)],
          ['fields.method', x.consentMethod && this.t('consentMethod', x.consentMethod)],
          ['fields.consentScope', this.list(x.consentScope.map((v) => this.t('consentScope', v)))],
          ['fields.consentAt', x.consentAt && this.date(x.consentAt)],
          ['fields.overrideReason', x.overrideReason],
          ['fields.createdAt', this.date(x.createdAt)],
          [
            'fields.steps',
            this.list(x.steps.map((s) => `${this.t('referralStatus', s.to)} (${this.date(s.at)})`)),
          ],
          ['fields.closedOn', x.closedAt && this.date(x.closedAt)],
        ]),
      ),
      this.section(
        'followUps',
        d.followUps.map((x) => [
          ['fields.text', x.text],
          ['fields.source', this.l(`source.${x.source}`)],
          ['fields.dueOn', this.date(x.dueOn)],
          ['fields.status', this.l(`followUpStatus.${x.status}`)],
          ['fields.completedAt', x.completedAt && this.date(x.completedAt)],
        ]),
      ),
      this.section(
        'outcomeCheckIns',
        d.outcomeCheckIns.map((x) => [
          ['fields.checkedOn', this.date(x.checkedOn)],
          ...this.ratings([
            ['safety', x.safety],
            ['legal_status', x.legalStatus],
            ['health_wellbeing', x.healthWellbeing],
            ['work_money', x.workMoney],
            ['housing', x.housing],
            ['social_support', x.socialSupport],
          ]),
        ]),
      ),
      this.section(
        'keyWorkers',
        d.keyWorkers.map((x) => [
          ['fields.roles', this.list(x.roles.map((v) => this.pick(this.c.roles, v)))],
          ['fields.assignedAt', this.date(x.assignedAt)],
        ]),
      ),
      this.section(
        'disclosures',
        d.disclosures.map((x) => [
          ['fields.authority', this.l(`disclosureAuthority.${x.authority}`)],
          ['fields.status', this.l(`disclosureStatus.${x.status}`)],
          ['fields.disclosedAt', x.disclosedAt && this.date(x.disclosedAt)],
        ]),
      ),
      this.accessHistory(d),
    ].join('\n');
  }

  /** Who accessed the record: one table row per access (date, action, roles, result). */
  private accessHistory(d: SubjectExportFull): string {
    const heading = `<h2>${escapeHtml(this.l('sections.accessHistory'))}</h2>`;
    if (d.accessHistory.length === 0)
      return `<section>${heading}<p>${this.e('none')}</p></section>`;
    const head = ['fields.on', 'fields.action', 'fields.roles', 'fields.outcome']
      .map((k) => `<th scope="col">${this.e(k)}</th>`)
      .join('');
    const rows = d.accessHistory
      .map((a) =>
        [
          this.date(a.on),
          this.pick(this.c.actions, a.action),
          this.list(a.roles.map((v) => this.pick(this.c.roles, v))),
          this.pick(this.c.outcomes, a.outcome),
        ]
          .map((v) => `<td>${escapeHtml(v)}</td>`)
          .join(''),
      )
      .map((cells) => `<tr>${cells}</tr>`)
      .join('\n');
    return `<section>${heading}<table><thead><tr>${head}</tr></thead><tbody>
${rows}
</tbody></table></section>`;
  }

  private ratings(values: [string, number | null][]): Row[] {
    return values.filter(([, v]) => v !== null).map(([k, v]) => [`checkIn:${k}`, `${v} / 5`]);
  }

  private section(name: string, records: readonly (readonly Row[])[]): string {
    const heading = `<h2>${escapeHtml(this.l(`sections.${name}`))}</h2>`;
    if (records.length === 0) return `<section>${heading}<p>${this.e('none')}</p></section>`;
    return `<section>${heading}\n${records.map((r) => this.table(r)).join('\n')}</section>`;
  }

  table(rows: readonly Row[]): string {
    const cells = rows
      .filter(([, v]) => v !== null && v !== '')
      .map(([k, v]) => {
        const name = k.startsWith('checkIn:') ? this.pick(this.c.checkIn, k.slice(8)) : this.l(k);
        const note = k === 'fields.notes' || k === 'fields.correctedNotes' || k === 'fields.reason';
        const cls = note ? ' class="note"' : '';
        return `<tr><th scope="row">${escapeHtml(name)}</th><td${cls}>${escapeHtml(v!)}</td></tr>`;
      });
    return `<table class="record">${cells.join('')}</table>`;
  }

  private l(key: string): string {
    return label(this.c, key);
  }

  private e(key: string): string {
    return escapeHtml(this.l(key));
  }

  /** A category's name in the document's language (its code if the catalogue lacks it). */
  private t(group: string, value: string): string {
    return this.pick(this.c.taxonomy[group] ?? {}, value);
  }

  private pick(names: Readonly<Record<string, string>>, value: string): string {
    return names[value] ?? value;
  }

  private yesNo(value: boolean): string {
    return this.l(value ? 'yes' : 'no');
  }

  private list(values: readonly string[]): string {
    return values.length === 0 ? this.l('none') : this.lists.format(values);
  }

  private date(iso: string): string {
    return this.dates.format(new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso));
  }

  private time(iso: string): string {
    return this.times.format(new Date(iso));
  }
}
