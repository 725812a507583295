import { Inject, Injectable } from '@nestjs/common';
import { DecryptionError, KeyError, type HarbourCrypto, type ZipEntry } from '@harbour/crypto';
import {
  DISCLOSURE_RECORD_FIELDS,
  IDENTITY_FIELDS,
  type DisclosureField,
  type IdentityField,
} from '@harbour/domain';
import { KeyringService } from '../../core/keyring/keyring.service';
import { ContactAmendments } from '../../core/records/contact-amendments';
import { notesPlace } from '../../core/records/contact-records';
import { IdentityVault } from '../../core/records/identity-vault';
import { PersonAccess } from '../../core/records/person-access';
import type { SignedInScope } from '../../core/scope/request-scope';
import { ContactEntity } from '../../data/contacts/contact.entity';
import {
  DisclosureExportRepository,
  type ExportContactRow,
} from '../../data/disclosures/disclosure-export.repository';
import { HARBOUR_CRYPTO } from '../../infra/crypto/crypto.module';
import { IntegrityError, NotFoundError } from '../../infra/http/domain-error';

/** What the cover names: the request, never a person. */
export interface DisclosureCover {
  readonly requestId: string;
  readonly authority: string;
  readonly legalInstrument: string;
  readonly periodFrom: string;
  readonly periodTo: string;
  readonly fields: readonly DisclosureField[];
  readonly producedAt: string;
}

/** One person as disclosed: their code and only the selected fields (absent otherwise). */
export interface DisclosedPerson {
  code: string;
  identity?: Partial<Record<IdentityField, string | null>>;
  categories?: {
    ageBand: string;
    regionOfOrigin: string;
    languageGroup: string | null;
    genderIdentity: string | null;
  };
  contacts?: { date: string; circumstances: string[] }[];
  contactNotes?: { date: string; notes: string | null }[];
  needs?: {
    category: string;
    priority: string;
    status: string;
    identifiedOn: string;
    closedOn: string | null;
  }[];
  referrals?: {
    partner: string;
    serviceType: string;
    status: string;
    createdOn: string;
    closedOn: string | null;
  }[];
  consents?: { purpose: string; method: string; givenOn: string; revokedOn: string | null }[];
}

const isIdentityField = (f: DisclosureField): f is IdentityField =>
  (IDENTITY_FIELDS as readonly string[]).includes(f);

/**
 * Builds the contents of a disclosure: for each selected person only the selected fields, and of
 * the record classes only what happened within the period. Identity is opened with the person's
 * key (coordinators only: `PersonAccess` is asked per person); contact notes as amended.
 */
@Injectable()
export class DisclosureExporter {
  constructor(
    private readonly rows: DisclosureExportRepository,
    private readonly vault: IdentityVault,
    private readonly access: PersonAccess,
    private readonly amendments: ContactAmendments,
    private readonly keyring: KeyringService,
    @Inject(HARBOUR_CRYPTO) private readonly crypto: HarbourCrypto,
  ) {}

  async people(
    scope: SignedInScope,
    personIds: readonly string[],
    fields: readonly DisclosureField[],
    from: string,
    to: string,
  ): Promise<DisclosedPerson[]> {
    const out: DisclosedPerson[] = [];
    for (const personId of personIds)
      out.push(await this.person(scope, personId, fields, from, to));
    return out.sort((a, b) => a.code.localeCompare(b.code));
  }

  private async person(
    scope: SignedInScope,
    personId: string,
    fields: readonly DisclosureField[],
    from: string,
    to: string,
  ): Promise<DisclosedPerson> {
    const { tx, organisationId } = scope;
    const row = await this.rows.person(tx, organisationId, personId);
    if (row === undefined) throw new NotFoundError();
    await this.access.assertMayReadProtected(scope, personId);
    const wants = new Set(fields);
    const out: DisclosedPerson = { code: row.code };
    const identityFields = fields.filter(isIdentityField);
    if (identityFields.length > 0) {
      const { identity } =
        row.has_identity && !row.erased
          ? await this.vault.read(tx, organisationId, personId)
          : { identity: {} };
      const held = identity as Partial<Record<IdentityField, string>>;
      out.identity = Object.fromEntries(identityFields.map((f) => [f, held[f] ?? null]));
    }
    if (wants.has('categories')) {
      out.categories = {
        ageBand: row.age_band,
        regionOfOrigin: row.region_of_origin,
        languageGroup: row.language_group,
        genderIdentity: row.gender_identity,
      };
    }
    const of = { organisationId, personId, from, to };
    if (wants.has('contacts') || wants.has('contactNotes')) {
      const contacts = await this.rows.contacts(tx, of);
      if (wants.has('contacts')) {
        out.contacts = contacts.map((c) => ({
          date: c.occurred_on,
          circumstances: c.circumstances,
        }));
      }
      if (wants.has('contactNotes')) {
        out.contactNotes = [];
        for (const c of contacts) {
          const notes = row.erased ? null : await this.notes(scope, c);
          if (notes !== null) out.contactNotes.push({ date: c.occurred_on, notes });
        }
      }
    }
    if (wants.has('needs')) {
      out.needs = (await this.rows.needs(tx, of)).map((n) => ({
        category: n.category,
        priority: n.priority,
        status: n.status,
        identifiedOn: n.identified_on,
        closedOn: n.closed_on,
      }));
    }
    if (wants.has('referrals')) {
      out.referrals = (await this.rows.referrals(tx, of)).map((r) => ({
        partner: r.partner_name,
        serviceType: r.service_type,
        status: r.status,
        createdOn: r.created_on,
        closedOn: r.closed_on,
      }));
    }
    if (wants.has('consents')) {
      out.consents = (await this.rows.consents(tx, of)).map((c) => ({
        purpose: c.purpose,
        method: c.method,
        givenOn: c.given_on,
        revokedOn: c.revoked_on,
      }));
    }
    return out;
  }

  /** A contact's notes as they stand (the latest correction, else the notes written). */
  private async notes(scope: SignedInScope, c: ExportContactRow): Promise<string | null> {
    const { tx, organisationId } = scope;
    const contact = Object.assign(new ContactEntity(), { id: c.id, personId: c.person_id });
    const amended = await this.amendments.open(tx, organisationId, contact, false);
    if (amended.notes !== undefined) return amended.notes;
    if (c.notes === null) return null;
    try {
      const ciphertext = new Uint8Array(c.notes);
      const key = await this.keyring.keyForField(tx, organisationId, ciphertext, c.person_id);
      return this.crypto.decryptText(key, notesPlace(organisationId, c.id), ciphertext).reveal();
    } catch (error) {
      if (error instanceof DecryptionError || error instanceof KeyError) {
        throw new IntegrityError([c.id]);
      }
      throw error;
    }
  }
}

/** The archive's files: a cover, the data as JSON, and the same data as a readable page. */
export function disclosureEntries(
  cover: DisclosureCover,
  people: readonly DisclosedPerson[],
): ZipEntry[] {
  const utf8 = (s: string) => new TextEncoder().encode(s);
  return [
    { name: 'README.txt', content: utf8(readme(cover, people.length)) },
    {
      name: 'disclosure.json',
      content: utf8(JSON.stringify({ request: cover, people }, null, 2) + '\n'),
    },
    { name: 'disclosure.html', content: utf8(html(cover, people)) },
  ];
}

function readme(cover: DisclosureCover, count: number): string {
  return [
    'DISCLOSURE — produced by Harbour',
    '',
    `Request id:       ${cover.requestId}`,
    `Authority:        ${cover.authority}`,
    `Legal instrument: ${cover.legalInstrument}`,
    `Period:           ${cover.periodFrom} to ${cover.periodTo} (inclusive)`,
    `Produced at:      ${cover.producedAt}`,
    `People:           ${count} (by pseudonymous code)`,
    `Fields:           ${cover.fields.join(', ')}`,
    '',
    'Files:',
    '  disclosure.json  the data, machine-readable',
    '  disclosure.html  the same data, readable in a web browser',
    '',
    'Only the fields listed above, of the people listed in the files, are disclosed. Records',
    '(contacts, notes, needs, referrals, consents) are included only when they happened within',
    'the period. Nothing else held by the organisation is in this archive.',
    '',
  ].join('\n');
}

const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function table(title: string, rows: readonly Record<string, unknown>[]): string {
  if (rows.length === 0) return `<h3>${escape(title)}</h3><p>None in the period.</p>`;
  const keys = Object.keys(rows[0]!);
  const cell = (v: unknown): string =>
    escape(
      v === null || v === undefined
        ? ''
        : Array.isArray(v)
          ? v.map(String).join(', ')
          : typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
            ? String(v)
            : JSON.stringify(v),
    );
  return `<h3>${escape(title)}</h3><table><thead><tr>${keys.map((k) => `<th>${escape(k)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${keys.map((k) => `<td>${cell(r[k])}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

function html(cover: DisclosureCover, people: readonly DisclosedPerson[]): string {
  const sections = people.map((p) => {
    const parts = [`<h2>${escape(p.code)}</h2>`];
    if (p.identity !== undefined) parts.push(table('Identity', [p.identity]));
    if (p.categories !== undefined) parts.push(table('Categories', [p.categories]));
    for (const field of DISCLOSURE_RECORD_FIELDS) {
      if (field === 'categories') continue;
      const rows = p[field];
      if (rows !== undefined) parts.push(table(field, rows));
    }
    return `<section>${parts.join('\n')}</section>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Disclosure ${escape(cover.requestId)}</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:0.5em 0}th,td{border:1px solid #999;padding:4px 8px;text-align:left}</style>
</head><body>
<h1>Disclosure</h1>
<p>Request ${escape(cover.requestId)} · ${escape(cover.authority)} · ${escape(cover.legalInstrument)}</p>
<p>Period ${escape(cover.periodFrom)} to ${escape(cover.periodTo)} · produced ${escape(cover.producedAt)}</p>
<p>Fields: ${escape(cover.fields.join(', '))}</p>
${sections.join('\n')}
</body></html>
`;
}
