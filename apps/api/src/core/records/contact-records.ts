import { Inject, Injectable } from '@nestjs/common';
import { KeyError, type HarbourCrypto } from '@harbour/crypto';
import {
  EARLIEST_CALENDAR_DAY,
  latestCalendarDay,
  parseIsoDate,
  uuidv7,
  type ContactKind,
  type ContactView,
  type CreateContactRequest,
  type FieldError,
} from '@harbour/domain';
import {
  ContactsRepository,
  type CreatedRow,
  type NewContact,
} from '../../data/contacts/contacts.repository';
import { HARBOUR_CRYPTO } from '../../infra/crypto/crypto.module';
import type { Tx } from '../../infra/database/transaction';
import { ValidationFailedError } from '../../infra/http/domain-error';
import { Clock } from '../../infra/time/clock';
import { KeyringService } from '../keyring/keyring.service';
import type { SignedInScope } from '../scope/request-scope';

/** Where a contact's notes are bound when encrypted. */
export function notesPlace(organisationId: string, contactId: string) {
  return { organisationId, table: 'contact', column: 'notes', rowId: contactId };
}

/**
 * People's current data-key ids as this process last saw them, so a returning person's next
 * contact needs no read first. Only a hint: the write checks it and the full path runs when it
 * is stale (a new key, an erasure, another instance's change). Bounded; the oldest go first.
 */
class PersonKeyIds {
  static readonly MAX = 10_000;
  readonly #ids = new Map<string, number>();

  get(organisationId: string, personId: string): number | undefined {
    return this.#ids.get(`${organisationId}/${personId}`);
  }

  remember(organisationId: string, personId: string, keyId: number): void {
    const name = `${organisationId}/${personId}`;
    this.#ids.delete(name);
    this.#ids.set(name, keyId);
    if (this.#ids.size > PersonKeyIds.MAX) {
      const oldest = this.#ids.keys().next();
      if (oldest.done !== true) this.#ids.delete(oldest.value);
    }
  }

  forget(organisationId: string, personId: string): void {
    this.#ids.delete(`${organisationId}/${personId}`);
  }
}

/**
 * Recording a contact (docs/design.md §3): the contact and the needs noted with it in one
 * statement, notes encrypted under the person's own key (so erasing the person erases their
 * notes) or, for anonymous and group contacts, the organisation's data key. The contacts,
 * intake and canary features all record contacts through here.
 */
@Injectable()
export class ContactRecords {
  private readonly personKeyIds = new PersonKeyIds();

  constructor(
    private readonly contacts: ContactsRepository,
    private readonly keyring: KeyringService,
    private readonly clock: Clock,
    @Inject(HARBOUR_CRYPTO) private readonly crypto: HarbourCrypto,
  ) {}

  async create(scope: SignedInScope, request: CreateContactRequest): Promise<ContactView> {
    const { tx, organisationId, principal } = scope;
    const kind: ContactKind = request.kind ?? 'individual';
    this.check(request, kind);
    const personId = request.personId ?? null;
    const id = uuidv7();
    const notes = request.notes?.trim() ?? '';
    const needs = (request.needs ?? []).map((need) => ({
      id: uuidv7(),
      category: need.category,
      priority: need.priority ?? 'medium',
    }));
    const contact = (sealed: Buffer | null): NewContact => ({
      organisationId,
      id,
      kind,
      personId,
      headcount: kind === 'group' ? request.headcount! : 1,
      occurredOn: request.occurredOn,
      channel: request.channel,
      locationType: request.locationType,
      languageGroup: request.languageGroup ?? null,
      interpreterUsed: request.interpreterUsed ?? false,
      peerLed: request.peerLed ?? false,
      circumstances: [...new Set(request.circumstances ?? [])],
      notes: sealed,
      caseworkerId: principal.userId,
      today: this.clock.now().toISOString().slice(0, 10),
      needIds: needs.map((n) => n.id),
      needCategories: needs.map((n) => n.category),
      needPriorities: needs.map((n) => n.priority),
    });

    let written: { rows: CreatedRow[]; personCode: string | null; row: NewContact } | null = null;
    const knownKeyId =
      personId === null ? undefined : this.personKeyIds.get(organisationId, personId);
    if (personId !== null && knownKeyId !== undefined) {
      // A returning person whose current key id this process has seen: one statement checks
      // that the person is there and not erased and that the key is still their current one,
      // and writes the contact and its needs; it writes nothing otherwise, and the full path
      // below runs (the cache is only ever a hint).
      // A key destroyed since (the person erased, or merged into another) no longer unwraps:
      // the hint is dropped and the full path answers.
      const sealed = await this.sealNotes(
        tx,
        organisationId,
        id,
        personId,
        knownKeyId,
        notes,
      ).catch((error: unknown) => {
        if (error instanceof KeyError) return undefined;
        throw error;
      });
      const row = sealed === undefined ? undefined : contact(sealed);
      const rows =
        row === undefined ? [] : await this.contacts.insertForKnownKey(tx, row, knownKeyId);
      if (rows.length > 0) written = { rows, personCode: rows[0]!.person_code, row: row! };
      else this.personKeyIds.forget(organisationId, personId);
    }
    written ??= await this.createFullPath(tx, organisationId, id, personId, notes, contact);
    scope.note({
      resourceIds: [id, ...(written.personCode === null ? [] : [written.personCode])],
    });
    const { rows, personCode, row } = written;
    const byId = new Map(needs.map((n) => [n.id, n]));
    return {
      id,
      kind,
      personId,
      personCode,
      headcount: row.headcount,
      occurredOn: request.occurredOn,
      channel: request.channel,
      locationType: request.locationType,
      languageGroup: request.languageGroup ?? null,
      interpreterUsed: row.interpreterUsed,
      peerLed: row.peerLed,
      circumstances: [...new Set(request.circumstances ?? [])],
      hasNotes: row.notes !== null,
      caseworkerId: principal.userId,
      createdAt: rows[0]!.created_at.toISOString(),
      needs: rows
        .filter((r) => r.need_id !== null)
        .map((r) => ({
          id: r.need_id!,
          personId,
          contactId: id,
          category: byId.get(r.need_id!)!.category,
          priority: byId.get(r.need_id!)!.priority,
          status: 'identified',
          identifiedOn: r.identified_on!,
          closedOn: null,
          version: r.version!,
        })),
      amended: false,
    };
  }

  /**
   * Reads the person (another organisation's looks like no person at all) and the id of their
   * current data key in one round trip, then writes the contact and its needs.
   */
  private async createFullPath(
    tx: Tx,
    organisationId: string,
    id: string,
    personId: string | null,
    notes: string,
    contact: (sealed: Buffer | null) => NewContact,
  ): Promise<{ rows: CreatedRow[]; personCode: string | null; row: NewContact }> {
    let keyId: number | null = null;
    let personCode: string | null = null;
    if (personId !== null) {
      const person = await this.contacts.personAndKey(tx, organisationId, personId);
      if (person === undefined) {
        throw new ValidationFailedError([{ path: 'personId', reason: 'unknown' }]);
      }
      // An erased person's record stays for statistics only; someone returning is a new person.
      if (person.erased) throw new ValidationFailedError([{ path: 'personId', reason: 'erased' }]);
      personCode = person.code;
      keyId = person.key_id;
    }
    const sealed = await this.sealNotes(tx, organisationId, id, personId, keyId, notes);
    const row = contact(sealed);
    const rows = await this.contacts.insert(tx, row);
    // A person key that exists after this (read, or made for these notes) is remembered.
    const usedKeyId = keyId ?? (sealed === null ? null : this.crypto.keyIdOf(sealed));
    if (personId !== null && usedKeyId !== null) {
      this.personKeyIds.remember(organisationId, personId, usedKeyId);
    }
    return { rows, personCode, row };
  }

  /** The request's date and headcount, checked together (every problem named at once). */
  private check(request: CreateContactRequest, kind: ContactKind): void {
    const problems: FieldError[] = [];
    const days = { earliest: EARLIEST_CALENDAR_DAY, latest: latestCalendarDay(this.clock.now()) };
    if (parseIsoDate(request.occurredOn) === null) {
      problems.push({ path: 'occurredOn', reason: 'isDate', limits: days });
    } else if (request.occurredOn > days.latest) {
      problems.push({ path: 'occurredOn', reason: 'notInFuture', limits: days });
    }
    if (kind === 'group') {
      if (request.personId !== undefined)
        problems.push({ path: 'personId', reason: 'groupHasNoPerson' });
      if (request.headcount === undefined || request.headcount < 2)
        problems.push({ path: 'headcount', reason: 'groupHeadcount' });
    } else if (request.headcount !== undefined && request.headcount !== 1) {
      problems.push({ path: 'headcount', reason: 'individualHeadcount' });
    }
    if (problems.length > 0) throw new ValidationFailedError(problems);
  }

  /**
   * Notes are class B: under the person's own key when the contact is theirs (so erasing the
   * person erases their notes too), under the organisation's data key for anonymous contacts.
   * Null for no notes.
   */
  private async sealNotes(
    tx: Tx,
    organisationId: string,
    id: string,
    personId: string | null,
    personKeyId: number | null,
    notes: string,
  ): Promise<Buffer | null> {
    if (notes === '') return null;
    const key =
      personId === null
        ? await this.keyring.organisationDataKey(tx, organisationId)
        : personKeyId === null
          ? await this.keyring.createPersonKey(tx, organisationId, personId)
          : await this.keyring.personKey(tx, organisationId, personKeyId, personId);
    return Buffer.from(this.crypto.encryptField(key, notesPlace(organisationId, id), notes));
  }
}
