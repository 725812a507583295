import { Injectable } from '@nestjs/common';
import { Db, type Tx } from '../../infra/database/transaction';
import { openingRead, prepared, query, queryReturning, statement } from '../sql';
import { KeyMaterialStore } from './key-material.store';
import { OrganisationKeyEntity, type KeyRow } from './organisation-key.entity';

/** A key as the keyring writes it: catalogue row and material (already wrapped). */
export interface NewKeyRow {
  readonly organisationId: string;
  readonly keyId: number;
  readonly purpose: string;
  readonly subjectId: string | null;
  readonly status: string;
  readonly wrapped: Buffer;
  readonly wrappingKeyId: number;
  readonly wrappedBy: string;
}

const insertIfMissing = statement<{ organisationId: string; keyId: number; purpose: string }>(
  'keys.insertIfMissing',
  `INSERT INTO organisation_key (organisation_id, key_id, purpose, subject_id, status)
VALUES (:organisationId, :keyId, :purpose, NULL, 'active')
ON CONFLICT DO NOTHING`,
);

const nextPersonKeyIds = statement<{ count: number }, { id: number }>(
  'keys.nextPersonKeyIds',
  `SELECT nextval('person_key_id_seq')::int AS id FROM generate_series(1, :count)`,
);

const insertPersonKeys = statement<{
  organisationId: string;
  keyIds: number[];
  personIds: string[];
}>(
  'keys.insertPersonKeys',
  `INSERT INTO organisation_key (organisation_id, key_id, purpose, subject_id, status)
SELECT :organisationId, key_id, 'person_data', subject_id, 'active'
  FROM unnest(:keyIds::int[], :personIds::uuid[]) AS k(key_id, subject_id)`,
);

const destroyPersonKeys = statement<
  { organisationId: string; personId: string },
  { key_id: number }
>(
  'keys.destroyPersonKeys',
  `UPDATE organisation_key SET status = 'destroyed'
 WHERE organisation_id = :organisationId AND purpose = 'person_data' AND subject_id = :personId
   AND status <> 'destroyed'
RETURNING key_id`,
);

/**
 * The first key of the advisory lock that orders sealing under a data key against that key's
 * retirement (the second is `hashtext(organisation id)`): every transaction that asks the keyring
 * for a key holds it shared; retiring a data key takes it exclusively, so no transaction that
 * read the old key as current can still be writing when the final count runs.
 */
export const DATA_KEY_LOCK_CLASS = 0x48424b52; // "HBKR"

const transactionState = statement<
  { organisationId: string },
  {
    lockdown_at: Date | null;
    current_data_key_id: number;
    current_kek_id: number;
    person_index_bits: number;
  }
>(
  'keys.transactionState',
  `SELECT o.lockdown_at, o.current_data_key_id, o.current_kek_id, o.person_index_bits,
       pg_advisory_xact_lock_shared(${DATA_KEY_LOCK_CLASS}, hashtext(o.id::text)) IS NULL AS locked
  FROM organisation o
 WHERE o.id = :organisationId`,
);

const organisationDataKeyIds = statement<{ organisationId: string }, { key_id: number }>(
  'keys.organisationDataKeyIds',
  `SELECT key_id FROM organisation_key
 WHERE organisation_id = :organisationId AND purpose = 'organisation_data'
   AND status IN ('active', 'decrypt_only')
 ORDER BY key_id`,
);

const organisationKeys = statement<
  { organisationId: string },
  {
    key_id: number;
    purpose: string;
    status: string;
    created_at: Date;
    retired_at: Date | null;
    destroy_after: Date | null;
  }
>(
  'keys.organisationKeys',
  `SELECT key_id, purpose, status, created_at, retired_at, destroy_after FROM organisation_key
 WHERE organisation_id = :organisationId AND purpose <> 'person_data'
 ORDER BY key_id`,
);

const personKeyCounts = statement<{ organisationId: string }, { status: string; keys: number }>(
  'keys.personKeyCounts',
  `SELECT status, count(*)::int AS keys FROM organisation_key
 WHERE organisation_id = :organisationId AND purpose = 'person_data'
 GROUP BY status ORDER BY status`,
);

const switchDataKey = statement<
  { organisationId: string; fromKeyId: number; toKeyId: number },
  { id: string }
>(
  'keys.switchDataKey',
  `WITH old AS (
  UPDATE organisation_key SET status = 'decrypt_only'
   WHERE organisation_id = :organisationId AND key_id = :fromKeyId
     AND purpose = 'organisation_data' AND status = 'active'
  RETURNING key_id)
UPDATE organisation SET current_data_key_id = :toKeyId
 WHERE id = :organisationId AND current_data_key_id = :fromKeyId AND EXISTS (SELECT 1 FROM old)
RETURNING id`,
);

const switchKek = statement<
  { organisationId: string; fromKeyId: number; toKeyId: number },
  { id: string }
>(
  'keys.switchKek',
  `WITH old AS (
  UPDATE organisation_key SET status = 'decrypt_only'
   WHERE organisation_id = :organisationId AND key_id = :fromKeyId
     AND purpose = 'kek' AND status = 'active'
  RETURNING key_id)
UPDATE organisation SET current_kek_id = :toKeyId
 WHERE id = :organisationId AND current_kek_id = :fromKeyId AND EXISTS (SELECT 1 FROM old)
RETURNING id`,
);

const tryRetireLock = statement<{ organisationId: string }, { locked: boolean }>(
  'keys.tryRetireLock',
  `SELECT pg_try_advisory_xact_lock(${DATA_KEY_LOCK_CLASS}, hashtext(:organisationId::text)) AS locked`,
);

const retireKey = statement<
  { organisationId: string; keyId: number; purpose: string; now: Date; destroyAfter: Date },
  { key_id: number }
>(
  'keys.retireKey',
  `UPDATE organisation_key SET status = 'retired', retired_at = :now, destroy_after = :destroyAfter
 WHERE organisation_id = :organisationId AND key_id = :keyId
   AND purpose = :purpose AND status = 'decrypt_only'
RETURNING key_id`,
);

const destroyRetiredKeys = statement<{ organisationId: string; now: Date }, { key_id: number }>(
  'keys.destroyRetiredKeys',
  `UPDATE organisation_key SET status = 'destroyed'
 WHERE organisation_id = :organisationId AND status = 'retired' AND destroy_after <= :now
RETURNING key_id`,
);

const keks = statement<{ organisationId: string }, { key_id: number; status: string }>(
  'keys.keks',
  `SELECT key_id, status FROM organisation_key
 WHERE organisation_id = :organisationId AND purpose = 'kek'
 ORDER BY key_id
   FOR UPDATE`,
);

const retiredKeysDue = statement<{ now: Date }, { organisation_id: string }>(
  'keys.retiredKeysDue',
  `SELECT organisation_id FROM retired_keys_due(:now)`,
);

/** What a transaction reads of its organisation before its first key (`transactionState`). */
export interface TransactionState {
  readonly lockdownAt: Date | null;
  readonly currentDataKeyId: number;
  readonly currentKekId: number;
  /** The width of the organisation's blind index (`person_index_bits`). */
  readonly indexBits: number;
}

/**
 * The keyring (docs/design.md §5): each key's catalogue row here (`organisation_key`, under
 * row-level security) and its wrapped material in the keyring database (`KeyMaterialStore`).
 * Material is written before its catalogue row (a key whose transaction rolls back leaves
 * unreferenced material, which opens nothing) and destroyed before the catalogue says so (a
 * destruction whose transaction rolls back still leaves the key unopenable: shredding fails
 * closed). Never key material in the clear.
 */
@Injectable()
export class OrganisationKeysRepository {
  /** `transactionState` as request transactions that will seal read it first (no round trip). */
  readonly #openingState = openingRead(transactionState);

  constructor(
    private readonly material: KeyMaterialStore,
    db: Db,
  ) {
    db.addOpeningRead(this.#openingState);
  }

  /** Key `keyId` of the organisation: its catalogue row (visible in `tx`) with its material. */
  async find(tx: Tx, organisationId: string, keyId: number): Promise<KeyRow | null> {
    const [row, material] = await Promise.all([
      tx.manager.getRepository(OrganisationKeyEntity).findOneBy({ organisationId, keyId }),
      this.material.material(organisationId, [keyId]),
    ]);
    if (row === null) return null;
    const m = material.get(keyId);
    return {
      purpose: row.purpose,
      subjectId: row.subjectId,
      status: row.status,
      wrappingKeyId: m?.wrappingKeyId ?? 0,
      wrappedBy: m?.wrappedBy ?? '',
      // Material that disagrees with its catalogue row is not this key's.
      wrapped: m?.purpose === row.purpose && m.subjectId === row.subjectId ? m.wrapped : null,
    };
  }

  exists(tx: Tx, organisationId: string, keyId: number): Promise<boolean> {
    return tx.manager.getRepository(OrganisationKeyEntity).existsBy({ organisationId, keyId });
  }

  async insert(tx: Tx, row: NewKeyRow): Promise<void> {
    const { organisationId, keyId, purpose, subjectId, status } = row;
    await this.material.insert(organisationId, [row]);
    await tx.manager
      .getRepository(OrganisationKeyEntity)
      .insert({ organisationId, keyId, purpose, subjectId, status });
  }

  /** An organisation key wrapped by the KEK, unless a concurrent request wrote it first. */
  async insertIfMissing(
    tx: Tx,
    row: {
      organisationId: string;
      keyId: number;
      purpose: string;
      wrapped: Buffer;
      wrappingKeyId: number;
    },
  ): Promise<void> {
    const { organisationId, keyId, purpose } = row;
    await this.material.insertIfMissing(organisationId, row);
    await query(tx.manager, insertIfMissing, { organisationId, keyId, purpose });
  }

  /** `count` fresh person-key ids from the shared sequence. */
  async nextPersonKeyIds(tx: Tx, count: number): Promise<number[]> {
    return (await query(tx.manager, nextPersonKeyIds, { count })).map((r) => r.id);
  }

  /** Person keys wrapped by key `wrappingKeyId`, in one statement each side. */
  async insertPersonKeys(
    tx: Tx,
    organisationId: string,
    wrappingKeyId: number,
    keys: readonly { keyId: number; personId: string; wrapped: Buffer }[],
  ): Promise<void> {
    await this.material.insert(
      organisationId,
      keys.map((k) => ({
        keyId: k.keyId,
        purpose: 'person_data',
        subjectId: k.personId,
        wrappingKeyId,
        wrappedBy: 'kek',
        wrapped: k.wrapped,
      })),
    );
    await query(tx.manager, insertPersonKeys, {
      organisationId,
      keyIds: keys.map((k) => k.keyId),
      personIds: keys.map((k) => k.personId),
    });
  }

  /**
   * Every key of the person loses its material (the catalogue row stays, `destroyed`); their
   * ids. The material is gone from the keyring before this returns, whatever `tx` does next.
   */
  async destroyPersonKeys(tx: Tx, organisationId: string, personId: string): Promise<number[]> {
    const rows = await queryReturning(tx.manager, destroyPersonKeys, {
      organisationId,
      personId,
    });
    const ids = rows.map((r) => r.key_id);
    await this.material.destroy(organisationId, ids);
    return ids;
  }

  /**
   * What every transaction reads before its first key: when the organisation's lockdown began
   * (null: none), its current data key and KEK, and the width of its blind index; undefined
   * when the organisation is not visible. Holds the data-key lock shared until the transaction
   * ends (`DATA_KEY_LOCK_CLASS`).
   */
  async transactionState(tx: Tx, organisationId: string): Promise<TransactionState | undefined> {
    const [row] =
      tx.takeOpened<{
        lockdown_at: Date | null;
        current_data_key_id: number;
        current_kek_id: number;
        person_index_bits: number;
      }>(this.#openingState, organisationId) ??
      (await prepared(tx, transactionState, { organisationId }));
    return row === undefined
      ? undefined
      : {
          lockdownAt: row.lockdown_at,
          currentDataKeyId: row.current_data_key_id,
          currentKekId: row.current_kek_id,
          indexBits: row.person_index_bits,
        };
  }

  /** Ids of the organisation's data keys that still decrypt (the current one and any rotated out). */
  async organisationDataKeyIds(tx: Tx, organisationId: string): Promise<number[]> {
    return (await query(tx.manager, organisationDataKeyIds, { organisationId })).map(
      (r) => r.key_id,
    );
  }

  /** The organisation's own keys (not person keys), oldest first. */
  async organisationKeys(tx: Tx, organisationId: string) {
    return query(tx.manager, organisationKeys, { organisationId });
  }

  /** How many person keys the organisation has, by status. */
  async personKeyCounts(tx: Tx, organisationId: string) {
    return query(tx.manager, personKeyCounts, { organisationId });
  }

  /**
   * Makes `toKeyId` the current data key in place of `fromKeyId`, which becomes decrypt-only.
   * False (nothing changed) when `fromKeyId` was not the active, current data key.
   */
  async switchDataKey(
    tx: Tx,
    organisationId: string,
    fromKeyId: number,
    toKeyId: number,
  ): Promise<boolean> {
    const rows = await queryReturning(tx.manager, switchDataKey, {
      organisationId,
      fromKeyId,
      toKeyId,
    });
    return rows.length === 1;
  }

  /**
   * Takes the data-key lock exclusively for the rest of the transaction, without waiting: false
   * when a transaction holds it shared (then a retirement tries again later, rather than queue
   * every new request behind it).
   */
  async tryRetireLock(tx: Tx, organisationId: string): Promise<boolean> {
    const [row] = await query(tx.manager, tryRetireLock, { organisationId });
    return row?.locked === true;
  }

  /** A decrypt-only data key or KEK is retired; its material goes at `destroyAfter`. */
  async retireKey(
    tx: Tx,
    organisationId: string,
    key: { keyId: number; purpose: 'organisation_data' | 'kek' },
    now: Date,
    destroyAfter: Date,
  ): Promise<boolean> {
    const rows = await queryReturning(tx.manager, retireKey, {
      organisationId,
      ...key,
      now,
      destroyAfter,
    });
    return rows.length === 1;
  }

  /** Makes KEK `toKeyId` current in place of `fromKeyId` (decrypt-only); false if it was not. */
  async switchKek(
    tx: Tx,
    organisationId: string,
    fromKeyId: number,
    toKeyId: number,
  ): Promise<boolean> {
    const rows = await queryReturning(tx.manager, switchKek, {
      organisationId,
      fromKeyId,
      toKeyId,
    });
    return rows.length === 1;
  }

  /** Up to `limit` keys wrapped by KEK `kekId` with ids after `after`, with their material. */
  async keysWrappedBy(organisationId: string, kekId: number, after: number, limit: number) {
    return this.material.wrappedBy(organisationId, kekId, after, limit);
  }

  /** How many keys (with material) KEK `kekId` still wraps. */
  countWrappedBy(organisationId: string, kekId: number): Promise<number> {
    return this.material.countWrappedBy(organisationId, kekId);
  }

  /** Each key re-wrapped by KEK `kekId` where its material is still the old; how many moved. */
  rewrapKeys(
    organisationId: string,
    kekId: number,
    moves: readonly { keyId: number; old: Buffer; wrapped: Buffer }[],
  ): Promise<number> {
    return this.material.rewrap(organisationId, kekId, moves);
  }

  /**
   * Retired keys whose `destroy_after` has come lose their material; their ids. The material is
   * gone from the keyring before this returns.
   */
  async destroyRetiredKeys(tx: Tx, organisationId: string, now: Date): Promise<number[]> {
    const rows = await queryReturning(tx.manager, destroyRetiredKeys, {
      organisationId,
      now,
    });
    const ids = rows.map((r) => r.key_id);
    await this.material.destroy(organisationId, ids);
    return ids;
  }

  /**
   * The organisation's KEKs (catalogue rows locked until the transaction ends, so two master-key
   * rotations take turns), each with its material (null: destroyed).
   */
  async keks(
    tx: Tx,
    organisationId: string,
  ): Promise<{ key_id: number; status: string; wrapped: Buffer | null; wrapped_by: string }[]> {
    const rows = await query(tx.manager, keks, { organisationId });
    const material = new Map(
      (await this.material.keks(organisationId)).map((m) => [m.keyId, m] as const),
    );
    return rows.map((r) => ({
      key_id: r.key_id,
      status: r.status,
      wrapped: material.get(r.key_id)?.wrapped ?? null,
      wrapped_by: material.get(r.key_id)?.wrappedBy ?? '',
    }));
  }

  /** Replaces a KEK's wrapped material if it is still `old`; whether it did. */
  rewrapKek(
    organisationId: string,
    change: { keyId: number; old: Buffer; wrapped: Buffer; wrappedBy: string },
  ): Promise<boolean> {
    return this.material.rewrapKek(organisationId, change);
  }

  /** Organisations with retired keys due for destruction (a look across tenants: ids only). */
  async retiredKeysDue(tx: Tx, now: Date): Promise<string[]> {
    return (await query(tx.manager, retiredKeysDue, { now })).map((r) => r.organisation_id);
  }
}
