import {
  AGE_BANDS,
  AUDIT_ACTIONS,
  CIRCUMSTANCES,
  CONSENT_METHODS,
  CONSENT_PURPOSES,
  CONTACT_CHANNELS,
  CONTACT_KINDS,
  DISCLOSURE_AUTHORITIES,
  DISCLOSURE_STATUSES,
  FOLLOW_UP_SOURCES,
  FOLLOW_UP_STATUSES,
  GENDER_IDENTITIES,
  IDENTITY_FIELDS,
  LANGUAGE_GROUPS,
  LOCATION_TYPES,
  NEED_CATEGORIES,
  NEED_PRIORITIES,
  NEED_STATUSES,
  REFERRAL_STATUSES,
  REGIONS_OF_ORIGIN,
  ROLES,
  SUBJECT_EXPORT_LANGUAGES,
  type AuditOutcome,
  type SubjectExportFull,
} from '@harbour/domain';
import { SUBJECT_CATALOGUES } from './subject-export.catalogue';
import {
  escapeHtml,
  renderErasureReceiptHtml,
  renderSubjectExportHtml,
} from './subject-export.html';

/** Every value the document can show has a name in every language (never a bare code). */
describe('subject export catalogues', () => {
  const groups: [string, readonly string[]][] = [
    ['channel', CONTACT_CHANNELS],
    ['location', LOCATION_TYPES],
    ['circumstance', CIRCUMSTANCES],
    ['need', NEED_CATEGORIES],
    ['priority', NEED_PRIORITIES],
    ['needStatus', NEED_STATUSES],
    ['ageBand', AGE_BANDS],
    ['region', REGIONS_OF_ORIGIN],
    ['language', LANGUAGE_GROUPS],
    ['gender', GENDER_IDENTITIES],
    ['referralStatus', REFERRAL_STATUSES],
    ['consentPurpose', CONSENT_PURPOSES],
    ['consentMethod', CONSENT_METHODS],
  ];

  it.each(SUBJECT_EXPORT_LANGUAGES)(
    '%s names every category, role, action and label',
    (language) => {
      const c = SUBJECT_CATALOGUES[language];
      for (const [group, values] of groups)
        for (const value of values)
          expect([group, value, c.taxonomy[group]?.[value]]).not.toContain(undefined);
      for (const role of ROLES) expect(c.roles[role]).toBeDefined();
      for (const action of AUDIT_ACTIONS)
        expect([action, c.actions[action]]).not.toContain(undefined);
      const outcomes: AuditOutcome[] = ['success', 'denied', 'failure'];
      for (const outcome of outcomes) expect(c.outcomes[outcome]).toBeDefined();
      const keys = [
        ...IDENTITY_FIELDS.map((f) => `fields.${f}`),
        ...CONTACT_KINDS.map((k) => `kind.${k}`),
        ...FOLLOW_UP_SOURCES.map((s) => `source.${s}`),
        ...FOLLOW_UP_STATUSES.map((s) => `followUpStatus.${s}`),
        ...DISCLOSURE_AUTHORITIES.map((a) => `disclosureAuthority.${a}`),
        ...DISCLOSURE_STATUSES.map((s) => `disclosureStatus.${s}`),
      ];
      for (const key of keys) expect([key, c.labels[key]]).not.toContain(undefined);
      // The same keys in every language, and a translation of each (not the English words).
      expect(Object.keys(c.labels).sort()).toEqual(
        Object.keys(SUBJECT_CATALOGUES.en.labels).sort(),
      );
      if (language !== 'en')
        for (const [key, english] of Object.entries(SUBJECT_CATALOGUES.en.labels))
          expect([key, c.labels[key]]).not.toEqual([key, english]);
    },
  );
});

describe('subject export HTML', () => {
  const hostile = `</td><script>alert("x")</script><img src=x onerror=alert(1)>`;
  const doc: SubjectExportFull = {
    format: 'harbour.subject-export',
    version: 1,
    generatedAt: '2026-03-01T10:00:00.000Z',
    language: 'vi',
    personId: 'p-1',
    code: 'HB-AAAA-BBBB',
    erased: false,
    person: {
      createdAt: '2026-01-01T00:00:00.000Z',
      restricted: false,
      ageBand: '25_34',
      regionOfOrigin: 'south_eastern_asia',
      languageGroup: 'vietnamese',
      genderIdentity: null,
      consentToReporting: true,
    },
    identity: { givenName: hostile, familyName: 'Nguyễn' },
    consents: [],
    contacts: [
      {
        id: 'c-1',
        kind: 'individual',
        occurredOn: '2026-02-03',
        channel: 'phone',
        locationType: 'online_or_phone',
        languageGroup: null,
        interpreterUsed: false,
        peerLed: true,
        circumstances: ['post_raid'],
        notes: hostile,
        createdAt: '2026-02-03T09:00:00.000Z',
        amendments: [],
      },
    ],
    needs: [],
    referrals: [],
    followUps: [],
    outcomeCheckIns: [],
    keyWorkers: [],
    disclosures: [{ requestId: 'd-1', authority: 'police', status: 'refused', disclosedAt: null }],
    accessHistory: [
      { on: '2026-02-03', action: 'person.viewed', roles: ['caseworker'], outcome: 'success' },
    ],
  };

  it('escapes every value, loads nothing and runs nothing', () => {
    const html = renderSubjectExportHtml(doc);
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain(escapeHtml(hostile));
    expect(html).not.toMatch(/<(img|link|iframe|object|embed|base|a|form)\b|@import|url\(/i);
    expect(html).toContain(`default-src 'none'`);
  });

  it('writes dates, categories and roles in the chosen language', () => {
    const html = renderSubjectExportHtml(doc);
    const vi = SUBJECT_CATALOGUES.vi;
    expect(html).toContain('<html lang="vi">');
    expect(html).toContain(escapeHtml(vi.taxonomy['channel']!['phone']!));
    expect(html).toContain(escapeHtml(vi.taxonomy['circumstance']!['post_raid']!));
    expect(html).toContain(escapeHtml(vi.roles['caseworker']!));
    expect(html).toContain(escapeHtml(vi.labels['disclosureStatus.refused']!));
    expect(html).toContain(
      new Intl.DateTimeFormat('vi', { dateStyle: 'long', timeZone: 'UTC' }).format(
        new Date('2026-02-03T00:00:00Z'),
      ),
    );
  });

  it('renders a receipt with unknown counts as "not recorded"', () => {
    const html = renderErasureReceiptHtml(
      {
        personId: 'p-1',
        code: 'HB-AAAA-BBBB',
        erasedAt: '2026-01-01T00:00:00.000Z',
        identityFieldsRemoved: null,
        indexEntriesRemoved: null,
        keysDestroyed: null,
        notesShredded: null,
        followUpsCancelled: null,
        backupsClearAt: '2026-02-05T00:00:00.000Z',
      },
      'th',
      '2026-03-01T00:00:00.000Z',
    );
    expect(html).toContain('<html lang="th">');
    expect(html).toContain(SUBJECT_CATALOGUES.th.labels['notRecorded']!);
    expect(html).toContain(SUBJECT_CATALOGUES.th.labels['erasure.title']!);
  });

  it('lists each count of a receipt under its own label, cancelled follow-ups among them', () => {
    const html = renderErasureReceiptHtml(
      {
        personId: 'p-1',
        code: 'HB-AAAA-BBBB',
        erasedAt: '2026-01-01T00:00:00.000Z',
        identityFieldsRemoved: ['givenName'],
        indexEntriesRemoved: 11,
        keysDestroyed: 1,
        notesShredded: 4,
        followUpsCancelled: 3,
        backupsClearAt: '2026-02-05T00:00:00.000Z',
      },
      'en',
      '2026-03-01T00:00:00.000Z',
    );
    const labels = SUBJECT_CATALOGUES.en.labels;
    const row = (label: string, value: string) =>
      new RegExp(`${label}</th>\\s*<td>${value}</td>`).test(html);
    expect(row(labels['erasure.followUpsCancelled']!, '3')).toBe(true);
    expect(row(labels['erasure.notesShredded']!, '4')).toBe(true);
    expect(html).not.toContain(labels['notRecorded']!);
  });
});
