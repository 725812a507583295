import { Inject, Injectable } from '@nestjs/common';
import { DecryptionError, KeyError, type HarbourCrypto } from '@harbour/crypto';
import {
  canChangeNeedStatus,
  parseIsoDate,
  uuidv7,
  type Circumstance,
  type AmendContactRequest,
  type ContactChannel,
  type ContactDetail,
  type ContactKind,
  type ContactPage,
  type ContactQuery,
  type ContactView,
  type CreateNeedRequest,
  type LanguageGroup,
  type LocationType,
  type NeedCategory,
  type NeedPriority,
  type NeedQuery,
  type NeedStatus,
  type NeedView,
  type UpdateNeedRequest,
} from '@harbour/domain';
import { KeyringService } from '../../core/keyring/keyring.service';
import { AMENDMENT_REASON_FIELD, ContactAmendments } from '../../core/records/contact-amendments';
import { InvalidTransitionError } from '../../core/records/contact.errors';
import { notesPlace } from '../../core/records/contact-records';
import { PersonAccess } from '../../core/records/person-access';
import type { SignedInScope } from '../../core/scope/request-scope';
import type { SupportNeedEntity } from '../../data/contacts/support-need.entity';
import { ContactAmendmentsRepository } from '../../data/contacts/contact-amendments.repository';
import { ContactsRepository } from '../../data/contacts/contacts.repository';
import { PersonsRepository } from '../../data/persons/persons.repository';
import { HARBOUR_CRYPTO } from '../../infra/crypto/crypto.module';
import type { Tx } from '../../infra/database/transaction';
import {
  IntegrityError,
  NotFoundError,
  ValidationFailedError,
  VersionConflictError,
} from '../../infra/http/domain-error';
import { Clock } from '../../infra/time/clock';

const DEFAULT_PAGE = 50;

/**
 * Contacts and support needs (docs/design.md §3) as caseworkers read and follow them up: pages of
 * contacts, one contact with its notes decrypted, and needs added or moved on. Recording a
 * contact is `ContactRecords` (core/records), which intake and canaries share.
 */
@Injectable()
export class ContactsService {
  constructor(
    private readonly contacts: ContactsRepository,
    private readonly persons: PersonsRepository,
    private readonly clock: Clock,
    private readonly keyring: KeyringService,
    private readonly amendments: ContactAmendments,
    private readonly amendmentRows: ContactAmendmentsRepository,
    @Inject(HARBOUR_CRYPTO) private readonly crypto: HarbourCrypto,
    private readonly access: PersonAccess,
  ) {}

  async list(scope: SignedInScope, query: ContactQuery): Promise<ContactPage> {
    const { tx, organisationId } = scope;
    const limit = query.limit ?? DEFAULT_PAGE;
    const cursor = query.cursor === undefined ? null : decodeCursor(query.cursor);
    if (query.cursor !== undefined && cursor === null) {
      throw new ValidationFailedError([{ path: 'cursor', reason: 'invalid' }]);
    }
    const rows = await this.contacts.page(tx, organisationId, query, cursor, limit);
    const page = rows.slice(0, limit);
    const items = await this.views(
      tx,
      organisationId,
      page.map((r) => r.id),
    );
    const last = page.at(-1);
    scope.note({ resourceIds: items.map((c) => c.id) });
    return {
      items,
      nextCursor:
        rows.length > limit && last !== undefined ? encodeCursor(last.occurredOn, last.id) : null,
    };
  }

  /**
   * One contact with its notes as last corrected and its amendments (who, when, why, which
   * fields). Reading the notes or an amendment's reason is named in the access event.
   */
  async get(scope: SignedInScope, id: string): Promise<ContactDetail> {
    const { tx, organisationId } = scope;
    const row = await this.contacts.find(tx, organisationId, id);
    if (row === null) throw new NotFoundError();
    const [view] = await this.views(tx, organisationId, [id]);
    scope.note({ resourceIds: view!.personCode === null ? [] : [view!.personCode] });
    // A restricted person's contacts are read by their key workers and coordinators only.
    if (row.personId !== null) await this.access.assertMayReadProtected(scope, row.personId);
    const erased = await this.personErased(tx, organisationId, row.personId);
    const opened = await this.amendments.open(tx, organisationId, row, erased);
    const fields: string[] = [];
    if (row.notes !== null || opened.notes !== undefined) fields.push('notes');
    if (opened.amendments.length > 0) fields.push(AMENDMENT_REASON_FIELD);
    scope.note({ fields });
    let notes: string | null = null;
    if (opened.notes !== undefined) {
      notes = opened.notes;
    } else if (row.notes !== null && !erased) {
      try {
        const ciphertext = new Uint8Array(row.notes);
        const key = await this.keyring.keyForField(tx, organisationId, ciphertext, row.personId);
        notes = this.crypto.decryptText(key, notesPlace(organisationId, id), ciphertext).reveal();
      } catch (error) {
        if (error instanceof DecryptionError || error instanceof KeyError) {
          throw new IntegrityError([id]);
        }
        throw error;
      }
    }
    return { ...view!, notes, amendments: opened.amendments };
  }

  /** Appends an amendment to the contact and returns it as it now reads (without its words). */
  async amend(
    scope: SignedInScope,
    id: string,
    request: AmendContactRequest,
  ): Promise<ContactView> {
    await this.amendments.amend(scope, id, request);
    const [view] = await this.views(scope.tx, scope.organisationId, [id]);
    return view!;
  }

  /** A person's needs noted outside a contact, oldest first. */
  async personNeeds(scope: SignedInScope, query: NeedQuery): Promise<NeedView[]> {
    const { tx, organisationId } = scope;
    const person = await this.persons.find(tx, organisationId, query.person);
    if (person === null) throw new NotFoundError();
    scope.note({ resourceIds: [person.code] });
    const rows = await this.contacts.needsOutsideContacts(tx, organisationId, query.person);
    return rows.map(needView);
  }

  async createNeed(scope: SignedInScope, request: CreateNeedRequest): Promise<NeedView> {
    const { tx, organisationId, principal } = scope;
    if (request.personId === undefined && request.contactId === undefined) {
      throw new ValidationFailedError([{ path: 'personId', reason: 'personOrContact' }]);
    }
    if (request.personId !== undefined) {
      const person = await this.persons.find(tx, organisationId, request.personId);
      if (person === null)
        throw new ValidationFailedError([{ path: 'personId', reason: 'unknown' }]);
      // An erased person's record stays for statistics only (as for contacts).
      if (person.erasedAt !== null)
        throw new ValidationFailedError([{ path: 'personId', reason: 'erased' }]);
    }
    if (request.contactId !== undefined) {
      const contact = await this.contacts.find(tx, organisationId, request.contactId);
      if (contact === null)
        throw new ValidationFailedError([{ path: 'contactId', reason: 'unknown' }]);
      // A need on a contact belongs to that contact's person, never to someone else.
      if (request.personId !== undefined && contact.personId !== request.personId)
        throw new ValidationFailedError([{ path: 'contactId', reason: 'otherPerson' }]);
    }
    const id = uuidv7();
    await this.contacts.insertNeed(tx, {
      organisationId,
      id,
      personId: request.personId ?? null,
      contactId: request.contactId ?? null,
      category: request.category,
      priority: request.priority ?? 'medium',
      status: 'identified',
      identifiedOn: this.today(),
      closedOn: null,
      createdBy: principal.userId,
    });
    scope.note({ resourceIds: [id] });
    return this.need(tx, organisationId, id);
  }

  async updateNeed(
    scope: SignedInScope,
    id: string,
    request: UpdateNeedRequest,
  ): Promise<NeedView> {
    const { tx, organisationId } = scope;
    const need = await this.contacts.lockNeed(tx, organisationId, id);
    if (need === null) throw new NotFoundError();
    if (need.version !== request.version) throw new VersionConflictError();
    const patch: Partial<Pick<SupportNeedEntity, 'priority' | 'status' | 'closedOn'>> = {};
    if (request.priority !== undefined) patch.priority = request.priority;
    if (request.status !== undefined && request.status !== need.status) {
      if (!canChangeNeedStatus(need.status as NeedStatus, request.status)) {
        throw new InvalidTransitionError();
      }
      patch.status = request.status;
      patch.closedOn =
        request.status === 'identified' || request.status === 'in_progress' ? null : this.today();
    }
    await this.contacts.updateNeed(tx, organisationId, id, patch, this.clock.now());
    return this.need(tx, organisationId, id);
  }

  /** Whether the contact's person was erased: their notes' key is gone, the notes unreadable. */
  private async personErased(
    tx: Tx,
    organisationId: string,
    personId: string | null,
  ): Promise<boolean> {
    if (personId === null) return false;
    const person = await this.persons.find(tx, organisationId, personId);
    return person?.erasedAt !== null && person?.erasedAt !== undefined;
  }

  private today(): string {
    return this.clock.now().toISOString().slice(0, 10);
  }

  private async need(tx: Tx, organisationId: string, id: string): Promise<NeedView> {
    const row = await this.contacts.need(tx, organisationId, id);
    if (row === null) throw new NotFoundError();
    return needView(row);
  }

  /** Views of the given contacts, in the given order, with their needs and person codes. */
  private async views(
    tx: Tx,
    organisationId: string,
    ids: readonly string[],
  ): Promise<ContactView[]> {
    if (ids.length === 0) return [];
    const { contacts, needs, codes } = await this.contacts.withNeeds(tx, organisationId, ids);
    const amended = await this.amendmentRows.summaries(tx, organisationId, ids);
    const byId = new Map(contacts.map((c) => [c.id, c]));
    return ids
      .map((id) => byId.get(id))
      .filter((c) => c !== undefined)
      .map((c) => ({
        id: c.id,
        kind: c.kind as ContactKind,
        personId: c.personId,
        personCode: c.personId === null ? null : (codes.get(c.personId) ?? null),
        headcount: c.headcount,
        occurredOn: c.occurredOn,
        channel: c.channel as ContactChannel,
        locationType: c.locationType as LocationType,
        languageGroup: c.languageGroup as LanguageGroup | null,
        interpreterUsed: c.interpreterUsed,
        peerLed: c.peerLed,
        circumstances: c.circumstances as Circumstance[],
        hasNotes: amended.get(c.id)?.has_notes ?? c.notes !== null,
        caseworkerId: c.caseworkerId,
        createdAt: c.createdAt.toISOString(),
        needs: needs.filter((n) => n.contactId === c.id).map(needView),
        amended: amended.has(c.id),
      }));
  }
}

function needView(row: SupportNeedEntity): NeedView {
  return {
    id: row.id,
    personId: row.personId,
    contactId: row.contactId,
    category: row.category as NeedCategory,
    priority: row.priority as NeedPriority,
    status: row.status as NeedStatus,
    identifiedOn: row.identifiedOn,
    closedOn: row.closedOn,
    version: row.version,
  };
}

/** Cursor: the last row's date and id, base64url (opaque to clients, checked on the way in). */
function encodeCursor(occurredOn: string, id: string): string {
  return Buffer.from(`${occurredOn}|${id}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { occurredOn: string; id: string } | null {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^(\d{4}-\d{2}-\d{2})\|([0-9a-f-]{36})$/.exec(text);
  if (match === null || parseIsoDate(match[1]!) === null) return null;
  return { occurredOn: match[1]!, id: match[2]! };
}
