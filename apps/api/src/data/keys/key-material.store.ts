import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { KEYRING_POOL } from '../../infra/database/keyring-database.module';
import { statement, valuesOf, type Statement } from '../sql';

/** A key's wrapped material as the keyring database holds it. */
export interface KeyMaterial {
  readonly keyId: number;
  readonly purpose: string;
  readonly subjectId: string | null;
  /** The KEK that wraps it (for a KEK: unused, the master key named by `wrappedBy` does). */
  readonly wrappingKeyId: number;
  /** The key provider id (for a KEK) or `kek`. */
  readonly wrappedBy: string;
  readonly wrapped: Buffer;
}

interface MaterialRow {
  key_id: number;
  purpose: string;
  subject_id: string | null;
  wrapping_key_id: number;
  wrapped_by: string;
  wrapped: Buffer;
}

const COLUMNS = 'key_id, purpose, subject_id, wrapping_key_id, wrapped_by, wrapped';

const material = statement<{ organisationId: string; keyIds: number[] }, MaterialRow>(
  'keyring.material',
  `SELECT ${COLUMNS} FROM key_material
 WHERE organisation_id = :organisationId AND key_id = ANY(:keyIds::int[])`,
);

const insert = statement<{
  organisationId: string;
  keyIds: number[];
  purposes: string[];
  subjectIds: (string | null)[];
  wrappingKeyIds: number[];
  wrappedBys: string[];
  wrapped: Buffer[];
}>(
  'keyring.insert',
  `INSERT INTO key_material (organisation_id, ${COLUMNS})
SELECT :organisationId, * FROM unnest(:keyIds::int[], :purposes::text[], :subjectIds::uuid[],
                                      :wrappingKeyIds::int[], :wrappedBys::text[], :wrapped::bytea[])`,
);

const insertIfMissing = statement<{
  organisationId: string;
  keyId: number;
  purpose: string;
  wrappingKeyId: number;
  wrapped: Buffer;
}>(
  'keyring.insertIfMissing',
  `INSERT INTO key_material (organisation_id, ${COLUMNS})
VALUES (:organisationId, :keyId, :purpose, NULL, :wrappingKeyId, 'kek', :wrapped)
ON CONFLICT DO NOTHING`,
);

const destroy = statement<{ organisationId: string; keyIds: number[] }, { key_id: number }>(
  'keyring.destroy',
  `DELETE FROM key_material WHERE organisation_id = :organisationId AND key_id = ANY(:keyIds::int[])
RETURNING key_id`,
);

const wrappedBy = statement<
  { organisationId: string; kekId: number; after: number; limit: number },
  MaterialRow
>(
  'keyring.wrappedBy',
  `SELECT ${COLUMNS} FROM key_material
 WHERE organisation_id = :organisationId AND wrapping_key_id = :kekId AND purpose <> 'kek'
   AND key_id > :after
 ORDER BY key_id
 LIMIT :limit`,
);

const countWrappedBy = statement<{ organisationId: string; kekId: number }, { keys: number }>(
  'keyring.countWrappedBy',
  `SELECT count(*)::int AS keys FROM key_material
 WHERE organisation_id = :organisationId AND wrapping_key_id = :kekId AND purpose <> 'kek'`,
);

const rewrap = statement<
  { organisationId: string; kekId: number; keyIds: number[]; olds: Buffer[]; news: Buffer[] },
  { key_id: number }
>(
  'keyring.rewrap',
  `UPDATE key_material k SET wrapped = v.new, wrapping_key_id = :kekId
  FROM unnest(:keyIds::int[], :olds::bytea[], :news::bytea[]) AS v(key_id, old, new)
 WHERE k.organisation_id = :organisationId AND k.key_id = v.key_id AND k.wrapped = v.old
   AND k.purpose <> 'kek'
RETURNING k.key_id`,
);

const keks = statement<{ organisationId: string }, MaterialRow>(
  'keyring.keks',
  `SELECT ${COLUMNS} FROM key_material
 WHERE organisation_id = :organisationId AND purpose = 'kek'
 ORDER BY key_id`,
);

const rewrapKek = statement<
  { organisationId: string; keyId: number; old: Buffer; wrapped: Buffer; wrappedBy: string },
  { key_id: number }
>(
  'keyring.rewrapKek',
  `UPDATE key_material SET wrapped = :wrapped, wrapped_by = :wrappedBy
 WHERE organisation_id = :organisationId AND key_id = :keyId AND purpose = 'kek'
   AND wrapped = :old
RETURNING key_id`,
);

function toMaterial(r: MaterialRow): KeyMaterial {
  return {
    keyId: r.key_id,
    purpose: r.purpose,
    subjectId: r.subject_id,
    wrappingKeyId: r.wrapping_key_id,
    wrappedBy: r.wrapped_by,
    wrapped: r.wrapped,
  };
}

/**
 * The keyring database's statements: wrapped key material, never a key in the clear. Each runs
 * on its own (autocommit) and names the organisation; what the data database's catalogue says
 * about a key (status, dates) is the caller's to check first. Writes that replace material are
 * compare-and-swap on the old material, so two re-wrappers never lose each other's work.
 */
@Injectable()
export class KeyMaterialStore {
  constructor(@Inject(KEYRING_POOL) private readonly pool: Pool) {}

  /** The material of keys `keyIds` of the organisation that the keyring holds, by key id. */
  async material(
    organisationId: string,
    keyIds: readonly number[],
  ): Promise<Map<number, KeyMaterial>> {
    if (keyIds.length === 0) return new Map();
    const rows = await this.run(material, { organisationId, keyIds: [...keyIds] }, 'keyring_m');
    return new Map(rows.map((r) => [r.key_id, toMaterial(r)]));
  }

  async insert(organisationId: string, keys: readonly KeyMaterial[]): Promise<void> {
    if (keys.length === 0) return;
    await this.run(insert, {
      organisationId,
      keyIds: keys.map((k) => k.keyId),
      purposes: keys.map((k) => k.purpose),
      subjectIds: keys.map((k) => k.subjectId),
      wrappingKeyIds: keys.map((k) => k.wrappingKeyId),
      wrappedBys: keys.map((k) => k.wrappedBy),
      wrapped: keys.map((k) => k.wrapped),
    });
  }

  /** An organisation key wrapped by a KEK, unless a concurrent request stored it first. */
  async insertIfMissing(
    organisationId: string,
    key: { keyId: number; purpose: string; wrappingKeyId: number; wrapped: Buffer },
  ): Promise<void> {
    await this.run(insertIfMissing, { organisationId, ...key });
  }

  /** Destroys the material of keys `keyIds` (crypto-shredding); the ids that had some. */
  async destroy(organisationId: string, keyIds: readonly number[]): Promise<number[]> {
    if (keyIds.length === 0) return [];
    const rows = await this.run(destroy, { organisationId, keyIds: [...keyIds] });
    return rows.map((r) => r.key_id);
  }

  /** Up to `limit` keys (not KEKs) that KEK `kekId` wraps, with ids after `after`. */
  async wrappedBy(
    organisationId: string,
    kekId: number,
    after: number,
    limit: number,
  ): Promise<KeyMaterial[]> {
    return (await this.run(wrappedBy, { organisationId, kekId, after, limit })).map(toMaterial);
  }

  /** How many keys KEK `kekId` still wraps. */
  async countWrappedBy(organisationId: string, kekId: number): Promise<number> {
    const [row] = await this.run(countWrappedBy, { organisationId, kekId });
    return row?.keys ?? 0;
  }

  /** Each key re-wrapped by KEK `kekId` where its material is still the old; how many moved. */
  async rewrap(
    organisationId: string,
    kekId: number,
    moves: readonly { keyId: number; old: Buffer; wrapped: Buffer }[],
  ): Promise<number> {
    if (moves.length === 0) return 0;
    const rows = await this.run(rewrap, {
      organisationId,
      kekId,
      keyIds: moves.map((m) => m.keyId),
      olds: moves.map((m) => m.old),
      news: moves.map((m) => m.wrapped),
    });
    return rows.length;
  }

  /** The organisation's KEKs the keyring holds material for, oldest first. */
  async keks(organisationId: string): Promise<KeyMaterial[]> {
    return (await this.run(keks, { organisationId })).map(toMaterial);
  }

  /** Replaces a KEK's wrapped material if it is still `old`; whether it did. */
  async rewrapKek(
    organisationId: string,
    change: { keyId: number; old: Buffer; wrapped: Buffer; wrappedBy: string },
  ): Promise<boolean> {
    return (await this.run(rewrapKek, { organisationId, ...change })).length === 1;
  }

  private async run<P extends object, R extends object>(
    stmt: Statement<P, R>,
    params: P,
    name?: string,
  ): Promise<R[]> {
    const values = valuesOf(stmt, params);
    const result = await this.pool.query<R & Record<string, unknown>>(
      name === undefined ? { text: stmt.sql, values } : { name, text: stmt.sql, values },
    );
    return result.rows;
  }
}
