import { Inject, Injectable } from '@nestjs/common';
import { DecryptionError, KeyError, type HarbourCrypto } from '@harbour/crypto';
import {
  MIN_SUBJECT_EXPORT_PURPOSE_LENGTH,
  SUBJECT_EXPORT_VERSION,
  uuidv7,
  type AgeBand,
  type AuditAction,
  type Circumstance,
  type ConsentMethod,
  type ConsentPurpose,
  type ContactChannel,
  type ContactKind,
  type DisclosureAuthority,
  type DisclosureStatus,
  type ErasureReceiptRecord,
  type FollowUpSource,
  type FollowUpStatus,
  type GenderIdentity,
  type IdentityField,
  type LanguageGroup,
  type LocationType,
  type RegionOfOrigin,
  type Role,
  type SubjectExport,
  type SubjectExportFull,
  type SubjectExportLanguage,
  type SubjectExportRequest,
  type SubjectExportSection,
} from '@harbour/domain';
import { KeyringService } from '../../core/keyring/keyring.service';
import { amendmentPlace } from '../../core/records/contact-amendments';
import { notesPlace } from '../../core/records/contact-records';
import { IdentityVault } from '../../core/records/identity-vault';
import { PersonAccess } from '../../core/records/person-access';
import { PersonMergedError } from '../../core/records/person.errors';
import type { SignedInScope } from '../../core/scope/request-scope';
import type { PersonEntity } from '../../data/persons/person.entity';
import { DisclosuresRepository } from '../../data/disclosures/disclosures.repository';
import { PersonErasuresRepository } from '../../data/persons/person-erasures.repository';
import { PersonsRepository } from '../../data/persons/persons.repository';
import { SubjectExportRepository } from '../../data/subject-export/subject-export.repository';
import { HARBOUR_CRYPTO } from '../../infra/crypto/crypto.module';
import { HARBOUR_CONFIG } from '../../infra/config/config.module';
import type { HarbourConfig } from '../../infra/config/config';
import type { Tx } from '../../infra/database/transaction';
import {
  IntegrityError,
  NotFoundError,
  ValidationFailedError,
} from '../../infra/http/domain-error';
import { currentCorrelationId } from '../../infra/logging/request-context';
import { Clock } from '../../infra/time/clock';

type Place = { organisationId: string; table: string; column: string; rowId: string };

/**
 * A person's own data (subject access, docs/design.md §9): everything held about one person,
 * read by organisation and person only, their sealed words opened under their own key. Staff
 * appear as roles, never by name or id. An erased person's export is their erasure receipt.
 * The route's one access event names the person and the sections included, never a value;
 * the stated purpose is sealed under the person's key (as a reveal's words are).
 */
@Injectable()
export class SubjectExportService {
  constructor(
    private readonly rows: SubjectExportRepository,
    private readonly persons: PersonsRepository,
    private readonly erasures: PersonErasuresRepository,
    private readonly vault: IdentityVault,
    private readonly keyring: KeyringService,
    private readonly access: PersonAccess,
    private readonly disclosures: DisclosuresRepository,
    private readonly clock: Clock,
    @Inject(HARBOUR_CRYPTO) private readonly crypto: HarbourCrypto,
    @Inject(HARBOUR_CONFIG) private readonly config: HarbourConfig,
  ) {}

  async export(
    scope: SignedInScope,
    personId: string,
    request: SubjectExportRequest,
  ): Promise<SubjectExport> {
    const { tx } = scope;
    const purpose = request.purpose.trim();
    if (purpose.length < MIN_SUBJECT_EXPORT_PURPOSE_LENGTH) {
      const limits = { minLength: MIN_SUBJECT_EXPORT_PURPOSE_LENGTH };
      throw new ValidationFailedError([{ path: 'purpose', reason: 'minLength', limits }]);
    }
    const person = await this.person(scope, personId);
    const header = this.header(person, request.language);
    if (person.erasedAt !== null) {
      scope.note({ fields: ['erasure'] });
      return { ...header, erased: true, erasure: await this.receiptOf(tx, person) };
    }
    // Coordinators may read a restricted person; anyone else reaching here would be refused.
    await this.access.assertMayReadProtected(scope, personId);
    await this.sealPurpose(scope, personId, purpose);
    const full = await this.gather(tx, person, header);
    scope.note({ fields: includedFields(full) });
    return full;
  }

  /** The erasure receipt of an erased person (404 for anyone else: there is no receipt). */
  async receipt(scope: SignedInScope, personId: string): Promise<ErasureReceiptRecord> {
    const person = await this.person(scope, personId);
    if (person.erasedAt === null) throw new NotFoundError();
    scope.note({ fields: ['erasure'] });
    return this.receiptOf(scope.tx, person);
  }

  private async person(scope: SignedInScope, personId: string): Promise<PersonEntity> {
    const person = await this.persons.find(scope.tx, scope.organisationId, personId);
    if (person === null) throw new NotFoundError();
    scope.note({ resourceIds: [person.code] });
    if (person.mergedInto !== null) throw new PersonMergedError();
    return person;
  }

  private header(person: PersonEntity, language: SubjectExportLanguage) {
    return {
      format: 'harbour.subject-export' as const,
      version: SUBJECT_EXPORT_VERSION as typeof SUBJECT_EXPORT_VERSION,
      generatedAt: this.clock.now().toISOString(),
      language,
      personId: person.id,
      code: person.code,
    };
  }

  private async receiptOf(tx: Tx, person: PersonEntity): Promise<ErasureReceiptRecord> {
    const erasedAt = person.erasedAt!;
    const row = await this.erasures.find(tx, person.organisationId, person.id);
    if (row !== null) {
      return {
        personId: person.id,
        code: person.code,
        erasedAt: row.erased_at.toISOString(),
        identityFieldsRemoved: row.identity_fields as IdentityField[],
        indexEntriesRemoved: row.index_entries_removed,
        keysDestroyed: row.keys_destroyed,
        notesShredded: row.notes_shredded,
        followUpsCancelled: row.follow_ups_cancelled,
        backupsClearAt: row.backups_clear_at.toISOString(),
      };
    }
    // Erased before receipts were kept: what was removed was not recorded then.
    return {
      personId: person.id,
      code: person.code,
      erasedAt: erasedAt.toISOString(),
      identityFieldsRemoved: null,
      indexEntriesRemoved: null,
      keysDestroyed: null,
      notesShredded: null,
      followUpsCancelled: null,
      backupsClearAt: new Date(
        erasedAt.getTime() + this.config.keys.backupWindowDays * 86_400_000,
      ).toISOString(),
    };
  }

  /** The purpose, sealed under the person's own key and tied to the event by the request id. */
  private async sealPurpose(scope: SignedInScope, personId: string, purpose: string) {
    const { tx, organisationId, principal } = scope;
    const key = await this.keyring.personKeyFor(tx, organisationId, personId);
    const id = uuidv7();
    const place = { organisationId, table: 'reveal_detail', column: 'detail', rowId: id };
    await this.persons.insertRevealDetail(tx, {
      organisationId,
      id,
      personId,
      purpose: 'other',
      detail: Buffer.from(this.crypto.encryptField(key, place, purpose)),
      requestId: currentCorrelationId(),
      createdBy: principal.userId,
    });
  }

  private async gather(
    tx: Tx,
    person: PersonEntity,
    header: ReturnType<SubjectExportService['header']>,
  ): Promise<SubjectExportFull> {
    const organisationId = person.organisationId;
    const p = { organisationId, personId: person.id };
    const open = (place: Place, value: Buffer | null) => this.open(tx, person.id, place, value);
    const { identity } = await this.vault.read(tx, organisationId, person.id);
    const contactRows = await this.rows.contacts(tx, p);
    const amendmentRows = await this.rows.amendments(tx, p);
    const contacts = [];
    for (const c of contactRows) {
      const amendments = [];
      for (const a of amendmentRows.filter((row) => row.contact_id === c.id)) {
        amendments.push({
          id: a.id,
          createdAt: a.created_at.toISOString(),
          fields: a.fields,
          reason: await open(amendmentPlace(organisationId, a.id, 'reason'), a.reason),
          notes: await open(amendmentPlace(organisationId, a.id, 'notes'), a.notes),
        });
      }
      contacts.push({
        id: c.id,
        kind: c.kind as ContactKind,
        occurredOn: c.occurred_on,
        channel: c.channel as ContactChannel,
        locationType: c.location_type as LocationType,
        languageGroup: c.language_group as LanguageGroup | null,
        interpreterUsed: c.interpreter_used,
        peerLed: c.peer_led,
        circumstances: c.circumstances as Circumstance[],
        notes: await open(notesPlace(organisationId, c.id), c.notes),
        createdAt: c.created_at.toISOString(),
        amendments,
      });
    }
    const steps = await this.rows.referralSteps(tx, p);
    const referrals = [];
    for (const r of await this.rows.referrals(tx, p)) {
      const place = { organisationId, table: 'referral', column: 'override_reason', rowId: r.id };
      referrals.push({
        id: r.id,
        needId: r.need_id,
        partnerName: r.partner_name,
        status: r.status,
        consentMethod: r.consent_method,
        consentScope: r.consent_scope,
        consentAt: r.consent_at?.toISOString() ?? null,
        overrideReason: await open(place, r.override_reason),
        closedAt: r.closed_at?.toISOString() ?? null,
        createdAt: r.created_at.toISOString(),
        steps: steps
          .filter((s) => s.referral_id === r.id)
          .map((s) => ({ from: s.from_status, to: s.to_status, at: s.at.toISOString() })),
      });
    }
    const followUps = [];
    for (const f of await this.rows.followUps(tx, p)) {
      const place = { organisationId, table: 'follow_up', column: 'text', rowId: f.id };
      followUps.push({
        id: f.id,
        needId: f.need_id,
        referralId: f.referral_id,
        source: f.source as FollowUpSource,
        text: await open(place, f.text),
        dueOn: f.due_on,
        status: f.status as FollowUpStatus,
        completedAt: f.completed_at?.toISOString() ?? null,
        createdAt: f.created_at.toISOString(),
      });
    }
    return {
      ...header,
      erased: false,
      person: {
        createdAt: person.createdAt.toISOString(),
        restricted: person.restricted,
        ageBand: person.ageBand as AgeBand,
        regionOfOrigin: person.regionOfOrigin as RegionOfOrigin,
        languageGroup: person.languageGroup as LanguageGroup | null,
        genderIdentity: person.genderIdentity as GenderIdentity | null,
        consentToReporting: person.consentToReporting,
      },
      identity: { ...identity },
      consents: (await this.rows.consents(tx, p)).map((c) => ({
        id: c.id,
        purpose: c.purpose as ConsentPurpose,
        method: c.method as ConsentMethod,
        givenAt: c.given_at.toISOString(),
        revokedAt: c.revoked_at?.toISOString() ?? null,
      })),
      contacts,
      needs: (await this.rows.needs(tx, p)).map((n) => ({
        id: n.id,
        contactId: n.contact_id,
        category: n.category,
        priority: n.priority,
        status: n.status,
        identifiedOn: n.identified_on,
        closedOn: n.closed_on,
      })),
      referrals,
      followUps,
      outcomeCheckIns: (await this.rows.checkIns(tx, p)).map((c) => ({
        id: c.id,
        checkedOn: c.checked_on,
        safety: c.safety,
        legalStatus: c.legal_status,
        healthWellbeing: c.health_wellbeing,
        workMoney: c.work_money,
        housing: c.housing,
        socialSupport: c.social_support,
        createdAt: c.created_at.toISOString(),
      })),
      keyWorkers: (await this.rows.keyWorkers(tx, p)).map((k) => ({
        roles: k.roles as Role[],
        assignedAt: k.assigned_at.toISOString(),
      })),
      disclosures: (await this.disclosures.aboutPerson(tx, organisationId, person.id)).map((d) => ({
        requestId: d.id,
        authority: d.authority as DisclosureAuthority,
        status: d.status as DisclosureStatus,
        disclosedAt: d.disclosed_at?.toISOString() ?? null,
      })),
      accessHistory: (await this.rows.accessHistory(tx, { ...p, code: person.code })).map((e) => ({
        on: e.on,
        action: e.action as AuditAction,
        roles: e.actor_roles as Role[],
        outcome: e.outcome,
      })),
    };
  }

  /** A sealed value of the person's opened (an organisation key or the person's own). */
  private async open(
    tx: Tx,
    personId: string,
    place: Place,
    value: Buffer | null,
  ): Promise<string | null> {
    if (value === null) return null;
    const ciphertext = new Uint8Array(value);
    try {
      const key = await this.keyring.keyForField(tx, place.organisationId, ciphertext, personId);
      return this.crypto.decryptText(key, place, ciphertext).reveal();
    } catch (error) {
      if (error instanceof DecryptionError || error instanceof KeyError) {
        throw new IntegrityError([place.rowId]);
      }
      throw error;
    }
  }
}

/** What the access event names: the sections with something in them, and identity field names. */
function includedFields(full: SubjectExportFull): string[] {
  const sections: SubjectExportSection[] = ['person'];
  const nonEmpty: [SubjectExportSection, readonly unknown[]][] = [
    ['identity', Object.keys(full.identity)],
    ['consents', full.consents],
    ['contacts', full.contacts],
    ['needs', full.needs],
    ['referrals', full.referrals],
    ['followUps', full.followUps],
    ['outcomeCheckIns', full.outcomeCheckIns],
    ['keyWorkers', full.keyWorkers],
    ['disclosures', full.disclosures],
    ['accessHistory', full.accessHistory],
  ];
  for (const [name, items] of nonEmpty) if (items.length > 0) sections.push(name);
  return [...sections, ...Object.keys(full.identity)];
}
