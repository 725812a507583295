import { Injectable } from '@nestjs/common';
import type { ContactQuery } from '@harbour/domain';
import { Brackets } from 'typeorm';
import type { Tx } from '../../infra/database/transaction';
import { currentPersonKeyIdOf } from '../keys/person-keys';
import { PersonEntity } from '../persons/person.entity';
import { prepared, query, statement } from '../sql';
import { ContactEntity } from './contact.entity';
import { SupportNeedEntity } from './support-need.entity';

/** A contact and the needs noted with it, as `insert` writes them. */
export interface NewContact {
  readonly organisationId: string;
  readonly id: string;
  readonly kind: string;
  readonly personId: string | null;
  readonly headcount: number;
  readonly occurredOn: string;
  readonly channel: string;
  readonly locationType: string;
  readonly languageGroup: string | null;
  readonly interpreterUsed: boolean;
  readonly peerLed: boolean;
  readonly circumstances: string[];
  readonly notes: Buffer | null;
  readonly caseworkerId: string;
  /** The day the needs are identified on. */
  readonly today: string;
  readonly needIds: string[];
  readonly needCategories: string[];
  readonly needPriorities: string[];
}

/** What a contact insert returns: the contact's time, and one row per need (or one without). */
export interface CreatedRow {
  created_at: Date;
  need_id: string | null;
  identified_on: string | null;
  version: number | null;
}

const CONTACT_INSERT = `INSERT INTO contact (organisation_id, id, kind, person_id, headcount, occurred_on,
                     channel, location_type, language_group, interpreter_used, peer_led,
                     circumstances, notes, caseworker_id)`;

const CONTACT_VALUES = `:organisationId, :id, :kind, :personId, :headcount, :occurredOn, :channel,
       :locationType, :languageGroup, :interpreterUsed, :peerLed, :circumstances, :notes,
       :caseworkerId`;

/** The needs of the contact, once `c` wrote it. */
const NEEDS_CTE = `n AS (
  INSERT INTO support_need (organisation_id, id, person_id, contact_id, category, priority,
                            status, identified_on, closed_on, created_by)
  SELECT :organisationId, n.id, :personId, :id, n.category, n.priority, 'identified', :today,
         NULL, :caseworkerId
    FROM c, unnest(:needIds::uuid[], :needCategories::text[], :needPriorities::text[])
         AS n(id, category, priority)
  RETURNING id, identified_on::text AS identified_on, version)`;

const personAndKey = statement<
  { organisationId: string; personId: string },
  { code: string; erased: boolean; key_id: number | null }
>(
  'contacts.personAndKey',
  `SELECT p.code, p.erased_at IS NOT NULL AS erased, ${currentPersonKeyIdOf('p')} AS key_id
  FROM person p WHERE p.organisation_id = :organisationId AND p.id = :personId
   FOR SHARE OF p`,
);

const insert = statement<NewContact, CreatedRow>(
  'contacts.insert',
  `WITH c AS (
  ${CONTACT_INSERT}
  VALUES (${CONTACT_VALUES})
  RETURNING created_at),
${NEEDS_CTE}
SELECT c.created_at, n.id AS need_id, n.identified_on, n.version
  FROM c LEFT JOIN n ON true
 ORDER BY n.id`,
);

const insertForKnownKey = statement<
  NewContact & { keyId: number },
  CreatedRow & { person_code: string }
>(
  'contacts.insertForKnownKey',
  `WITH p AS (
  SELECT p.code FROM person p
   WHERE p.organisation_id = :organisationId AND p.id = :personId AND p.erased_at IS NULL
     AND :keyId::integer = ${currentPersonKeyIdOf('p')}
     FOR SHARE OF p),
c AS (
  ${CONTACT_INSERT}
  SELECT ${CONTACT_VALUES} FROM p
  RETURNING created_at),
${NEEDS_CTE}
SELECT p.code AS person_code, c.created_at, n.id AS need_id, n.identified_on, n.version
  FROM p CROSS JOIN c LEFT JOIN n ON true
 ORDER BY n.id`,
);

/** Needs noted with a contact dated the day of their contact (the demo data writes both now). */
const alignNeedDates = statement(
  'contacts.alignNeedDates',
  `UPDATE support_need n SET identified_on = c.occurred_on
  FROM contact c WHERE c.organisation_id = n.organisation_id AND c.id = n.contact_id`,
);

/** Contacts and the support needs noted with them (or later, for a person). */
@Injectable()
export class ContactsRepository {
  /** The person's code, whether they are erased, and their current data key's id. */
  async personAndKey(
    tx: Tx,
    organisationId: string,
    personId: string,
  ): Promise<{ code: string; erased: boolean; key_id: number | null } | undefined> {
    const [row] = await prepared(tx, personAndKey, { organisationId, personId });
    return row;
  }

  /** The contact and its needs in one statement. */
  insert(tx: Tx, contact: NewContact): Promise<CreatedRow[]> {
    return prepared(tx, insert, contact);
  }

  /**
   * `insert` for a person whose notes were sealed under key `keyId`: writes only if the person
   * exists in this organisation, is not erased and `keyId` is still their current data key;
   * returns the person's code with each row (no rows: nothing was written).
   */
  insertForKnownKey(
    tx: Tx,
    contact: NewContact,
    keyId: number,
  ): Promise<(CreatedRow & { person_code: string })[]> {
    return prepared(tx, insertForKnownKey, { ...contact, keyId });
  }

  /** Dates every need noted with a contact on the day of that contact. */
  async alignNeedDates(tx: Tx): Promise<void> {
    await query(tx.manager, alignNeedDates, {});
  }

  find(tx: Tx, organisationId: string, id: string): Promise<ContactEntity | null> {
    return tx.manager.getRepository(ContactEntity).findOneBy({ organisationId, id });
  }

  exists(tx: Tx, organisationId: string, id: string): Promise<boolean> {
    return tx.manager.getRepository(ContactEntity).existsBy({ organisationId, id });
  }

  /** One page of contact ids, newest first, after `cursor` (`limit + 1` rows: is there more?). */
  page(
    tx: Tx,
    organisationId: string,
    filter: Omit<ContactQuery, 'cursor' | 'limit'>,
    cursor: { occurredOn: string; id: string } | null,
    limit: number,
  ): Promise<Pick<ContactEntity, 'id' | 'occurredOn'>[]> {
    const qb = tx.manager
      .getRepository(ContactEntity)
      .createQueryBuilder('c')
      .select(['c.id', 'c.occurredOn'])
      .where('c.organisation_id = :organisationId', { organisationId });
    if (filter.from !== undefined) qb.andWhere('c.occurred_on >= :from', { from: filter.from });
    if (filter.to !== undefined) qb.andWhere('c.occurred_on <= :to', { to: filter.to });
    if (filter.channel !== undefined)
      qb.andWhere('c.channel = :channel', { channel: filter.channel });
    if (filter.circumstance !== undefined)
      qb.andWhere(':circumstance = ANY(c.circumstances)', { circumstance: filter.circumstance });
    if (filter.caseworker !== undefined)
      qb.andWhere('c.caseworker_id = :caseworker', { caseworker: filter.caseworker });
    if (filter.person !== undefined)
      qb.andWhere('c.person_id = :person', { person: filter.person });
    if (cursor !== null) {
      qb.andWhere(
        new Brackets((w) =>
          w
            .where('c.occurred_on < :cursorDate', { cursorDate: cursor.occurredOn })
            .orWhere('(c.occurred_on = :cursorDate AND c.id < :cursorId)', { cursorId: cursor.id }),
        ),
      );
    }
    return qb
      .orderBy('c.occurred_on', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .limit(limit + 1)
      .getMany();
  }

  /** The contacts with the given ids, their needs (by id) and their people's codes. */
  async withNeeds(
    tx: Tx,
    organisationId: string,
    ids: readonly string[],
  ): Promise<{
    contacts: ContactEntity[];
    needs: SupportNeedEntity[];
    codes: Map<string, string>;
  }> {
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
    return { contacts, needs, codes: new Map(people.map((p) => [p.id, p.code])) };
  }

  /** A person's needs noted outside any contact, oldest first. */
  needsOutsideContacts(
    tx: Tx,
    organisationId: string,
    personId: string,
  ): Promise<SupportNeedEntity[]> {
    return tx.manager
      .getRepository(SupportNeedEntity)
      .createQueryBuilder('n')
      .where('n.organisation_id = :organisationId AND n.person_id = :personId', {
        organisationId,
        personId,
      })
      .andWhere('n.contact_id IS NULL')
      .orderBy('n.id')
      .getMany();
  }

  need(tx: Tx, organisationId: string, id: string): Promise<SupportNeedEntity | null> {
    return tx.manager.getRepository(SupportNeedEntity).findOneBy({ organisationId, id });
  }

  lockNeed(tx: Tx, organisationId: string, id: string): Promise<SupportNeedEntity | null> {
    return tx.manager
      .getRepository(SupportNeedEntity)
      .createQueryBuilder('n')
      .setLock('pessimistic_write')
      .where('n.organisation_id = :organisationId AND n.id = :id', { organisationId, id })
      .getOne();
  }

  async insertNeed(
    tx: Tx,
    need: Omit<
      SupportNeedEntity,
      'createdAt' | 'updatedAt' | 'version' | 'organisation' | 'person' | 'contact'
    >,
  ): Promise<void> {
    await tx.manager.getRepository(SupportNeedEntity).insert(need);
  }

  async updateNeed(
    tx: Tx,
    organisationId: string,
    id: string,
    patch: Partial<Pick<SupportNeedEntity, 'priority' | 'status' | 'closedOn'>>,
    now: Date,
  ): Promise<void> {
    await tx.manager
      .createQueryBuilder()
      .update(SupportNeedEntity)
      .set({ ...patch, version: () => 'version + 1', updatedAt: now })
      .where('organisation_id = :organisationId AND id = :id', { organisationId, id })
      .execute();
  }
}
