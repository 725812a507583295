import { Injectable } from '@nestjs/common';
import { generatePersonCode } from '@harbour/domain';
import type { Tx } from '../../infra/database/transaction';
import { prepared, query, statement } from '../sql';
import {
  IDENTITY_COLUMNS,
  PersonIdentityEntity,
  type IdentityColumn,
} from './person-identity.entity';
import { PersonIndexEntity, type PersonIndexKind } from './person-index.entity';
import { PersonEntity } from './person.entity';
import { RevealDetailEntity } from './reveal-detail.entity';

/** The columns of a new person row (the code is drawn here). */
export type NewPerson = Omit<
  PersonEntity,
  | 'code'
  | 'createdAt'
  | 'updatedAt'
  | 'version'
  | 'organisation'
  | 'erasedAt'
  | 'restricted'
  | 'restrictedChangedBy'
  | 'restrictedChangedAt'
  | 'mergedInto'
  | 'survivor'
>;

/** Category columns an update may change (and the reporting-consent mirror, `hasIdentity`). */
export type PersonPatch = Partial<
  Pick<
    PersonEntity,
    | 'ageBand'
    | 'regionOfOrigin'
    | 'languageGroup'
    | 'genderIdentity'
    | 'consentToReporting'
    | 'hasIdentity'
  >
>;

/** Encrypted identity columns, as stored. */
export type SealedIdentity = Pick<
  PersonIdentityEntity,
  'givenName' | 'familyName' | 'alias' | 'dateOfBirth' | 'sex' | 'phone'
>;

const insertIndexRows = statement<{
  organisationId: string;
  personId: string;
  kinds: string[];
  values: string[];
}>(
  'persons.insertIndexRows',
  `INSERT INTO person_index (organisation_id, kind, bits, value, person_id)
   SELECT o.id, r.kind, o.person_index_bits, r.value >> (32 - o.person_index_bits), :personId
     FROM organisation o, unnest(:kinds::text[], :values::bigint[]) AS r(kind, value)
    WHERE o.id = :organisationId
   ON CONFLICT DO NOTHING`,
);

/** A person's page as `page` reads it. */
export interface PersonPageRow {
  readonly id: string;
  readonly code: string;
  readonly version: number;
  readonly age_band: string;
  readonly region_of_origin: string;
  readonly language_group: string | null;
  readonly gender_identity: string | null;
  readonly consent_to_reporting: boolean;
  readonly has_identity: boolean;
  readonly erased_at: Date | null;
  readonly restricted: boolean;
  readonly merged_into: string | null;
  readonly survivor_code: string | null;
  readonly created_at: Date;
  readonly updated_at: Date;
  /** The encrypted identity columns that hold a value (their names, never their values). */
  readonly held_columns: IdentityColumn[];
}

const page = statement<{ organisationId: string; id: string }, PersonPageRow>(
  'persons.page',
  `SELECT p.id, p.code, p.version, p.age_band, p.region_of_origin, p.language_group,
       p.gender_identity, p.consent_to_reporting, p.has_identity, p.erased_at, p.restricted,
       p.merged_into, s.code AS survivor_code, p.created_at, p.updated_at,
       array_remove(ARRAY[
         CASE WHEN pi.given_name IS NOT NULL THEN 'given_name' END,
         CASE WHEN pi.family_name IS NOT NULL THEN 'family_name' END,
         CASE WHEN pi.alias IS NOT NULL THEN 'alias' END,
         CASE WHEN pi.date_of_birth IS NOT NULL THEN 'date_of_birth' END,
         CASE WHEN pi.sex IS NOT NULL THEN 'sex' END,
         CASE WHEN pi.phone IS NOT NULL THEN 'phone' END
       ]::text[], NULL) AS held_columns
  FROM person p
  LEFT JOIN person_identity pi
         ON p.has_identity AND pi.organisation_id = p.organisation_id AND pi.person_id = p.id
  LEFT JOIN person s ON s.organisation_id = p.organisation_id AND s.id = p.merged_into
 WHERE p.organisation_id = :organisationId AND p.id = :id`,
);

const codesOf = statement<{ organisationId: string; ids: string[] }, { id: string; code: string }>(
  'persons.codesOf',
  `SELECT id, code FROM person
 WHERE organisation_id = :organisationId AND id = ANY(:ids::uuid[])
 ORDER BY id`,
);

const deleteRetryRecords = statement<{ organisationId: string; personId: string }>(
  'persons.deleteRetryRecords',
  `DELETE FROM idempotency_key
    WHERE organisation_id = :organisationId AND :personId::uuid = ANY (person_ids)`,
);

const countNotes = statement<{ organisationId: string; personId: string }, { n: number }>(
  'persons.countNotes',
  `SELECT count(*)::int AS n FROM contact
    WHERE organisation_id = :organisationId AND person_id = :personId AND notes IS NOT NULL`,
);

const overrideReasons = statement<
  { organisationId: string; personId: string },
  { id: string; override_reason: Buffer }
>(
  'persons.lockOverrideReasons',
  `SELECT id, override_reason FROM referral
    WHERE organisation_id = :organisationId AND person_id = :personId
      AND override_reason IS NOT NULL
      FOR UPDATE`,
);

const setOverrideReason = statement<{ organisationId: string; id: string; reason: Buffer }>(
  'persons.setOverrideReason',
  `UPDATE referral SET override_reason = :reason
    WHERE organisation_id = :organisationId AND id = :id`,
);

/**
 * The `person` aggregate: the pseudonymous record, its encrypted identity row, its blind-index
 * rows and the words kept about a reveal. Values arrive here already encrypted or already
 * blind-indexed (`IdentityVault`, `PersonIndexer` in core/records); nothing here sees a name.
 */
@Injectable()
export class PersonsRepository {
  find(tx: Tx, organisationId: string, id: string): Promise<PersonEntity | null> {
    return tx.manager.getRepository(PersonEntity).findOneBy({ organisationId, id });
  }

  /**
   * A person's page in one round trip: the record, which identity fields it holds (from the
   * identity row, only when the record says it has one) and, for a merged record, the code of
   * the record it was merged into. Null when there is no such person in the organisation.
   */
  async page(tx: Tx, organisationId: string, id: string): Promise<PersonPageRow | null> {
    const [row] = await prepared(tx, page, { organisationId, id });
    if (row === undefined) return null;
    // The order of the identity fields is the columns' order, whatever the array's.
    const held = new Set(row.held_columns);
    return { ...row, held_columns: IDENTITY_COLUMNS.filter((c) => held.has(c)) };
  }

  findByCode(tx: Tx, organisationId: string, code: string): Promise<PersonEntity | null> {
    return tx.manager.getRepository(PersonEntity).findOneBy({ organisationId, code });
  }

  /** The people of this organisation among `ids` (others are not there), by id, with codes. */
  codesOf(
    tx: Tx,
    organisationId: string,
    ids: readonly string[],
  ): Promise<{ id: string; code: string }[]> {
    return query(tx.manager, codesOf, { organisationId, ids: [...ids] });
  }

  /** The person, locked for the rest of the transaction (null when there is none). */
  lock(tx: Tx, organisationId: string, id: string): Promise<PersonEntity | null> {
    return tx.manager
      .getRepository(PersonEntity)
      .createQueryBuilder('p')
      .setLock('pessimistic_write')
      .where('p.organisation_id = :organisationId AND p.id = :id', { organisationId, id })
      .getOne();
  }

  /**
   * Inserts the person with a random code no other person of the organisation has (35 random
   * bits: a clash is rare, and a concurrent create may take the same code between a check and
   * an insert, so the insert itself skips a taken code and another is drawn).
   */
  async insertWithFreeCode(tx: Tx, person: NewPerson): Promise<string> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const code = generatePersonCode();
      const result = await tx.manager
        .createQueryBuilder()
        .insert()
        .into(PersonEntity)
        .values({ ...person, code })
        .orIgnore()
        .returning(['id'])
        .execute();
      if ((result.raw as unknown[]).length === 1) return code;
    }
    throw new Error('no free person code after 5 attempts');
  }

  /**
   * Writes `patch` and the next version when the person is still at `version` (any version
   * when null); false when another write came first.
   */
  async update(
    tx: Tx,
    organisationId: string,
    id: string,
    patch: PersonPatch & { erasedAt?: Date },
    version: number | null,
    now: Date,
  ): Promise<boolean> {
    const where =
      version === null
        ? 'organisation_id = :organisationId AND id = :id'
        : 'organisation_id = :organisationId AND id = :id AND version = :version';
    const result = await tx.manager
      .createQueryBuilder()
      .update(PersonEntity)
      .set({ ...patch, version: () => 'version + 1', updatedAt: now })
      .where(where, { organisationId, id, version })
      .execute();
    return result.affected === 1;
  }

  identity(tx: Tx, organisationId: string, personId: string): Promise<PersonIdentityEntity | null> {
    return tx.manager.getRepository(PersonIdentityEntity).findOneBy({ organisationId, personId });
  }

  /** Inserts or replaces the person's identity row. */
  async saveIdentity(
    tx: Tx,
    organisationId: string,
    personId: string,
    keyId: number,
    sealed: SealedIdentity,
  ): Promise<void> {
    await tx.manager
      .getRepository(PersonIdentityEntity)
      .upsert({ organisationId, personId, keyId, ...sealed }, ['organisationId', 'personId']);
  }

  async deleteIdentity(tx: Tx, organisationId: string, personId: string): Promise<void> {
    await tx.manager.getRepository(PersonIdentityEntity).delete({ organisationId, personId });
  }

  /** Deletes the person's blind-index rows; returns how many there were. */
  async deleteIndex(tx: Tx, organisationId: string, personId: string): Promise<number> {
    const result = await tx.manager
      .getRepository(PersonIndexEntity)
      .delete({ organisationId, personId });
    return result.affected ?? 0;
  }

  /**
   * Writes blind-index rows computed at 32 bits; the INSERT truncates them to the organisation's
   * `person_index_bits` (v_L = v_32 >> (32 − L)), so the width is read where it is used.
   */
  async insertIndex(
    tx: Tx,
    organisationId: string,
    personId: string,
    rows: readonly { kind: PersonIndexKind; value: number }[],
  ): Promise<void> {
    if (rows.length === 0) return;
    await query(tx.manager, insertIndexRows, {
      organisationId,
      personId,
      kinds: rows.map((r) => r.kind),
      values: rows.map((r) => String(r.value)),
    });
  }

  async insertRevealDetail(
    tx: Tx,
    row: Pick<
      RevealDetailEntity,
      'organisationId' | 'id' | 'personId' | 'purpose' | 'detail' | 'requestId' | 'createdBy'
    >,
  ): Promise<void> {
    await tx.manager.getRepository(RevealDetailEntity).insert(row);
  }

  /** Retry records that name the person (their answers are under the organisation's key). */
  async deleteRetryRecords(tx: Tx, organisationId: string, personId: string): Promise<void> {
    await query(tx.manager, deleteRetryRecords, { organisationId, personId });
  }

  async countNotes(tx: Tx, organisationId: string, personId: string): Promise<number> {
    const [row] = await query(tx.manager, countNotes, { organisationId, personId });
    return row?.n ?? 0;
  }

  /** The person's referrals' consent-override reasons, locked for re-encryption. */
  lockOverrideReasons(
    tx: Tx,
    organisationId: string,
    personId: string,
  ): Promise<{ id: string; override_reason: Buffer }[]> {
    return query(tx.manager, overrideReasons, { organisationId, personId });
  }

  async setOverrideReason(
    tx: Tx,
    organisationId: string,
    id: string,
    reason: Buffer,
  ): Promise<void> {
    await query(tx.manager, setOverrideReason, { organisationId, id, reason });
  }
}
