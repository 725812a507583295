import { Inject, Injectable } from '@nestjs/common';
import { DecryptionError, KeyError, type HarbourCrypto } from '@harbour/crypto';
import {
  canChangeNeedStatus,
  latestCalendarDay,
  parseIsoDate,
  uuidv7,
  type Circumstance,
  type ContactChannel,
  type ContactDetail,
  type ContactKind,
  type ContactPage,
  type ContactQuery,
  type ContactView,
  type CreateContactRequest,
  type CreateNeedRequest,
  type LanguageGroup,
  type LocationType,
  type NeedCategory,
  type NeedPriority,
  type NeedStatus,
  type NeedView,
  type UpdateNeedRequest,
} from '@harbour/domain';
import { Brackets } from 'typeorm';
import { noteAudit } from '../../infra/audit/audit-notes';
import type { Principal } from '../../infra/auth/principal';
import { HARBOUR_CRYPTO } from '../../infra/crypto/crypto.module';
import { Db, type Tx } from '../../infra/database/transaction';
import {
  IntegrityError,
  NotFoundError,
  ValidationFailedError,
  VersionConflictError,
} from '../../infra/http/domain-error';
import { Clock } from '../../infra/time/clock';
import { KeyringService, ORGANISATION_DATA_KEY_ID } from '../../core/keyring/keyring.service';
import { PersonEntity } from '../../data/persons/person.entity';
import { ContactEntity } from '../../data/contacts/contact.entity';
import { InvalidTransitionError } from './contacts.errors';
import { SupportNeedEntity } from '../../data/contacts/support-need.entity';

const DEFAULT_PAGE = 50;

/** The person's code, whether they are erased and their current data key's id. */
const PERSON_AND_KEY_SQL = `
  SELECT p.code, p.erased_at IS NOT NULL AS erased,
         (SELECT k.key_id FROM organisation_key k
           WHERE k.organisation_id = p.organisation_id AND k.purpose = 'person_data'
             AND k.subject_id = p.id AND k.status = 'active'
           ORDER BY k.key_id DESC LIMIT 1) AS key_id
    FROM person p WHERE p.organisation_id = $1 AND p.id = $2`;

/** The contact's columns, in the order of parameters $1–$14. */
const CONTACT_INSERT = `
    INSERT INTO contact (organisation_id, id, kind, person_id, headcount, occurred_on, channel,
                         location_type, language_group, interpreter_used, peer_led,
                         circumstances, notes, caseworker_id)`;

/** The needs of contact $2 ($15 the day, $16–$18 ids, categories, priorities), once `c` wrote. */
const NEEDS_CTE = `
  n AS (
    INSERT INTO support_need (organisation_id, id, person_id, contact_id, category, priority,
                              status, identified_on, closed_on, created_by)
    SELECT $1, n.id, $4, $2, n.category, n.priority, 'identified', $15, NULL, $14
      FROM c, unnest($16::uuid[], $17::text[], $18::text[]) AS n(id, category, priority)
    RETURNING id, identified_on::text AS identified_on, version)`;

/** A contact ($1–$14) and its needs ($15–$18) in one statement. */
const CREATE_SQL = `
  WITH c AS (${CONTACT_INSERT}
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
    RETURNING created_at),${NEEDS_CTE}
  SELECT c.created_at, n.id AS need_id, n.identified_on, n.version
    FROM c LEFT JOIN n ON true
   ORDER BY n.id`;

/**
 * `CREATE_SQL` for a person ($4) whose notes were sealed under key $19: writes only if the
 * person exists in this organisation, is not erased and $19 is still their current data key
 * (as `PERSON_AND_KEY_SQL` would choose it); returns the person's code with each row.
 */
const CREATE_FOR_KNOWN_KEY_SQL = `
  WITH p AS (
    SELECT p.code FROM person p
     WHERE p.organisation_id = $1 AND p.id = $4 AND p.erased_at IS NULL
       AND $19::integer = (SELECT k.key_id FROM organisation_key k
                            WHERE k.organisation_id = p.organisation_id
                              AND k.purpose = 'person_data' AND k.subject_id = p.id
                              AND k.status = 'active'
                            ORDER BY k.key_id DESC LIMIT 1)),
  c AS (${CONTACT_INSERT}
    SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14 FROM p
    RETURNING created_at),${NEEDS_CTE}
  SELECT p.code AS person_code, c.created_at, n.id AS need_id, n.identified_on, n.version
    FROM p CROSS JOIN c LEFT JOIN n ON true
   ORDER BY n.id`;

interface CreatedRow {
  created_at: Date;
  need_id: string | null;
  identified_on: string | null;
  version: number | null;
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
 * Contacts and support needs (DESIGN.md §3). A contact and the needs noted with it are written
 * in one transaction; notes are encrypted under the organisation's data key, bound to the
 * contact's row, and only returned when one contact is opened.
 */
@Injectable()
export class ContactsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly keyring: KeyringService,
    @Inject(HARBOUR_CRYPTO) private readonly crypto: HarbourCrypto,
  ) {}

  private readonly personKeyIds = new PersonKeyIds();

  async create(principal: Principal, request: CreateContactRequest): Promise<ContactView> {
    const tx = this.db.current();
    const organisationId = principal.organisationId;
    const today = this.today();
    const latest = latestCalendarDay(this.clock.now());
    const kind: ContactKind = request.kind ?? 'individual';
    const problems: { path: string; reason: string }[] = [];
    if (parseIsoDate(request.occurredOn) === null) {
      problems.push({ path: 'occurredOn', reason: 'isDate' });
    } else if (request.occurredOn > latest) {
      problems.push({ path: 'occurredOn', reason: 'notInFuture' });
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

    const personId = request.personId ?? null;
    const id = uuidv7();
    const notes = request.notes?.trim() ?? '';
    const headcount = kind === 'group' ? request.headcount! : 1;
    const circumstances = [...new Set(request.circumstances ?? [])];
    const needs = (request.needs ?? []).map((need) => ({
      id: uuidv7(),
      category: need.category,
      priority: need.priority ?? 'medium',
    }));
    const values = (sealed: Buffer | null): unknown[] => [
      organisationId,
      id,
      kind,
      personId,
      headcount,
      request.occurredOn,
      request.channel,
      request.locationType,
      request.languageGroup ?? null,
      request.interpreterUsed ?? false,
      request.peerLed ?? false,
      circumstances,
      sealed,
      principal.userId,
      today,
      needs.map((n) => n.id),
      needs.map((n) => n.category),
      needs.map((n) => n.priority),
    ];

    let personCode: string | null = null;
    let sealed: Buffer | null = null;
    let rows: CreatedRow[] | undefined;
    const knownKeyId =
      personId === null ? undefined : this.personKeyIds.get(organisationId, personId);
    if (personId !== null && knownKeyId !== undefined) {
      // A returning person whose current key id this process has seen: one statement checks
      // that the person is there and not erased and that the key is still their current one,
      // and writes the contact and its needs; it writes nothing otherwise, and the full path
      // below runs (the cache is only ever a hint).
      sealed = await this.sealNotes(tx, organisationId, id, personId, knownKeyId, notes);
      const written = await tx.prepared<CreatedRow & { person_code: string }>(
        'contacts_create_for_known_key',
        CREATE_FOR_KNOWN_KEY_SQL,
        [...values(sealed), knownKeyId],
      );
      if (written.length > 0) {
        rows = written;
        personCode = written[0]!.person_code;
      } else {
        this.personKeyIds.forget(organisationId, personId);
      }
    }
    if (rows === undefined) {
      // The person (another organisation's looks like no person at all) and the id of their
      // current data key (KeyringService.personKeyFor's choice), in one round trip.
      let keyId: number | null = null;
      if (personId !== null) {
        const [person] = await tx.prepared<{
          code: string;
          key_id: number | null;
          erased: boolean;
        }>('contacts_person_and_key', PERSON_AND_KEY_SQL, [organisationId, personId]);
        if (person === undefined) {
          throw new ValidationFailedError([{ path: 'personId', reason: 'unknown' }]);
        }
        // An erased person's record stays for statistics only; someone returning is a new
        // person.
        if (person.erased) {
          throw new ValidationFailedError([{ path: 'personId', reason: 'erased' }]);
        }
        personCode = person.code;
        keyId = person.key_id;
      }
      sealed = await this.sealNotes(tx, organisationId, id, personId, keyId, notes);
      // The contact and its needs in one statement; the view is built from what it returns.
      rows = await tx.prepared<CreatedRow>('contacts_create', CREATE_SQL, values(sealed));
      // A person key that exists after this (read, or made for these notes) is remembered.
      const usedKeyId = keyId ?? (sealed === null ? null : this.crypto.keyIdOf(sealed));
      if (personId !== null && usedKeyId !== null) {
        this.personKeyIds.remember(organisationId, personId, usedKeyId);
      }
    }
    const byId = new Map(needs.map((n) => [n.id, n]));
    noteAudit({ resourceIds: [id, ...(personCode === null ? [] : [personCode])] });
    return {
      id,
      kind,
      personId,
      personCode,
      headcount,
      occurredOn: request.occurredOn,
      channel: request.channel,
      locationType: request.locationType,
      languageGroup: request.languageGroup ?? null,
      interpreterUsed: request.interpreterUsed ?? false,
      peerLed: request.peerLed ?? false,
      circumstances,
      hasNotes: sealed !== null,
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
    };
  }

  async list(organisationId: string, query: ContactQuery): Promise<ContactPage> {
    const tx = this.db.current();
    const limit = query.limit ?? DEFAULT_PAGE;
    const qb = tx.manager
      .getRepository(ContactEntity)
      .createQueryBuilder('c')
      .select(['c.id', 'c.occurredOn'])
      .where('c.organisation_id = :organisationId', { organisationId });
    if (query.from !== undefined) qb.andWhere('c.occurred_on >= :from', { from: query.from });
    if (query.to !== undefined) qb.andWhere('c.occurred_on <= :to', { to: query.to });
    if (query.channel !== undefined)
      qb.andWhere('c.channel = :channel', { channel: query.channel });
    if (query.circumstance !== undefined)
      qb.andWhere(':circumstance = ANY(c.circumstances)', { circumstance: query.circumstance });
    if (query.caseworker !== undefined)
      qb.andWhere('c.caseworker_id = :caseworker', { caseworker: query.caseworker });
    if (query.person !== undefined) qb.andWhere('c.person_id = :person', { person: query.person });
    if (query.cursor !== undefined) {
      const cursor = decodeCursor(query.cursor);
      if (cursor === null) throw new ValidationFailedError([{ path: 'cursor', reason: 'invalid' }]);
      qb.andWhere(
        new Brackets((w) =>
          w
            .where('c.occurred_on < :cursorDate', { cursorDate: cursor.occurredOn })
            .orWhere('(c.occurred_on = :cursorDate AND c.id < :cursorId)', { cursorId: cursor.id }),
        ),
      );
    }
    const rows = await qb
      .orderBy('c.occurred_on', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .limit(limit + 1)
      .getMany();
    const page = rows.slice(0, limit);
    const items = await this.views(
      tx,
      organisationId,
      page.map((r) => r.id),
    );
    const last = page.at(-1);
    noteAudit({ resourceIds: items.map((c) => c.id) });
    return {
      items,
      nextCursor:
        rows.length > limit && last !== undefined ? encodeCursor(last.occurredOn, last.id) : null,
    };
  }

  async get(organisationId: string, id: string): Promise<ContactDetail> {
    const tx = this.db.current();
    const row = await tx.manager.getRepository(ContactEntity).findOneBy({ organisationId, id });
    if (row === null) throw new NotFoundError();
    const [view] = await this.views(tx, organisationId, [id]);
    noteAudit({
      resourceIds: view!.personCode === null ? [] : [view!.personCode],
      fields: row.notes === null ? [] : ['notes'],
    });
    let notes: string | null = null;
    if (row.notes !== null && !(await this.personErased(tx, organisationId, row.personId))) {
      try {
        const ciphertext = new Uint8Array(row.notes);
        const keyId = this.crypto.keyIdOf(ciphertext);
        const key =
          keyId === ORGANISATION_DATA_KEY_ID
            ? await this.keyring.organisationDataKey(tx, organisationId)
            : row.personId === null
              ? null
              : await this.keyring.personKey(tx, organisationId, keyId, row.personId);
        if (key === null) throw new IntegrityError([id]);
        notes = this.crypto.decryptText(key, notesPlace(organisationId, id), ciphertext).reveal();
      } catch (error) {
        if (error instanceof DecryptionError || error instanceof KeyError) {
          throw new IntegrityError([id]);
        }
        throw error;
      }
    }
    return { ...view!, notes };
  }

  async createNeed(principal: Principal, request: CreateNeedRequest): Promise<NeedView> {
    const tx = this.db.current();
    const organisationId = principal.organisationId;
    if (request.personId === undefined && request.contactId === undefined) {
      throw new ValidationFailedError([{ path: 'personId', reason: 'personOrContact' }]);
    }
    if (request.personId !== undefined) {
      const exists = await tx.manager
        .getRepository(PersonEntity)
        .existsBy({ organisationId, id: request.personId });
      if (!exists) throw new ValidationFailedError([{ path: 'personId', reason: 'unknown' }]);
    }
    if (request.contactId !== undefined) {
      const exists = await tx.manager
        .getRepository(ContactEntity)
        .existsBy({ organisationId, id: request.contactId });
      if (!exists) throw new ValidationFailedError([{ path: 'contactId', reason: 'unknown' }]);
    }
    const id = await this.insertNeed(tx, principal, {
      personId: request.personId ?? null,
      contactId: request.contactId ?? null,
      category: request.category,
      priority: request.priority ?? 'medium',
    });
    noteAudit({ resourceIds: [id] });
    return this.need(tx, organisationId, id);
  }

  async updateNeed(
    principal: Principal,
    id: string,
    request: UpdateNeedRequest,
  ): Promise<NeedView> {
    const tx = this.db.current();
    const organisationId = principal.organisationId;
    const need = await tx.manager
      .getRepository(SupportNeedEntity)
      .createQueryBuilder('n')
      .setLock('pessimistic_write')
      .where('n.organisation_id = :organisationId AND n.id = :id', { organisationId, id })
      .getOne();
    if (need === null) throw new NotFoundError();
    if (need.version !== request.version) throw new VersionConflictError();
    const patch: Partial<SupportNeedEntity> = {};
    if (request.priority !== undefined) patch.priority = request.priority;
    if (request.status !== undefined && request.status !== need.status) {
      if (!canChangeNeedStatus(need.status as NeedStatus, request.status)) {
        throw new InvalidTransitionError();
      }
      patch.status = request.status;
      patch.closedOn =
        request.status === 'identified' || request.status === 'in_progress' ? null : this.today();
    }
    await tx.manager
      .createQueryBuilder()
      .update(SupportNeedEntity)
      .set({ ...patch, version: () => 'version + 1', updatedAt: this.clock.now() })
      .where('organisation_id = :organisationId AND id = :id', { organisationId, id })
      .execute();
    return this.need(tx, organisationId, id);
  }

  // ---- internals ----------------------------------------------------------------------------

  /** Whether the contact's person was erased: their notes' key is gone, the notes unreadable. */
  private async personErased(tx: Tx, organisationId: string, personId: string | null) {
    if (personId === null) return false;
    const person = await tx.manager
      .getRepository(PersonEntity)
      .findOneBy({ organisationId, id: personId });
    return person?.erasedAt !== null && person?.erasedAt !== undefined;
  }

  private today(): string {
    return this.clock.now().toISOString().slice(0, 10);
  }

  /**
   * Notes are class B: under the person's own key when the contact is theirs (so erasing the
   * person erases their notes too), under the organisation's data key for anonymous contacts.
   */
  /** Notes encrypted under the person's key (or the organisation's), or null for none. */
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

  private async insertNeed(
    tx: Tx,
    principal: Principal,
    need: {
      personId: string | null;
      contactId: string | null;
      category: NeedCategory;
      priority: NeedPriority;
    },
  ): Promise<string> {
    const id = uuidv7();
    await tx.manager.getRepository(SupportNeedEntity).insert({
      organisationId: principal.organisationId,
      id,
      personId: need.personId,
      contactId: need.contactId,
      category: need.category,
      priority: need.priority,
      status: 'identified',
      identifiedOn: this.today(),
      closedOn: null,
      createdBy: principal.userId,
    });
    return id;
  }

  private async need(tx: Tx, organisationId: string, id: string): Promise<NeedView> {
    const row = await tx.manager.getRepository(SupportNeedEntity).findOneBy({ organisationId, id });
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
    const contacts = await tx.manager
      .getRepository(ContactEntity)
      .createQueryBuilder('c')
      .where('c.organisation_id = :organisationId AND c.id IN (:...ids)', { organisationId, ids })
      .getMany();
    const needs = await tx.manager
      .getRepository(SupportNeedEntity)
      .createQueryBuilder('n')
      .where('n.organisation_id = :organisationId AND n.contact_id IN (:...ids)', {
        organisationId,
        ids,
      })
      .orderBy('n.id')
      .getMany();
    const personIds = [
      ...new Set(contacts.map((c) => c.personId).filter((p): p is string => p !== null)),
    ];
    const people =
      personIds.length === 0
        ? []
        : await tx.manager
            .getRepository(PersonEntity)
            .createQueryBuilder('p')
            .where('p.organisation_id = :organisationId AND p.id IN (:...personIds)', {
              organisationId,
              personIds,
            })
            .getMany();
    const codes = new Map(people.map((p) => [p.id, p.code]));
    const byId = new Map(contacts.map((c) => [c.id, c]));
    return ids
      .map((id) => byId.get(id))
      .filter((c): c is ContactEntity => c !== undefined)
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
        hasNotes: c.notes !== null,
        caseworkerId: c.caseworkerId,
        createdAt: c.createdAt.toISOString(),
        needs: needs.filter((n) => n.contactId === c.id).map(needView),
      }));
  }
}

function notesPlace(organisationId: string, contactId: string) {
  return { organisationId, table: 'contact', column: 'notes', rowId: contactId };
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
