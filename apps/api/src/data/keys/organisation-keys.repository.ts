import { Injectable } from '@nestjs/common';
import type { Tx } from '../../infra/database/transaction';
import { prepared, query, statement } from '../sql';
import { OrganisationKeyEntity } from './organisation-key.entity';

/** A keyring row as the keyring writes it: the key's material already wrapped. */
export type NewKeyRow = Pick<
  OrganisationKeyEntity,
  | 'organisationId'
  | 'keyId'
  | 'purpose'
  | 'subjectId'
  | 'status'
  | 'wrapped'
  | 'wrappingKeyId'
  | 'wrappedBy'
>;

const insertIfMissing = statement<{
  organisationId: string;
  keyId: number;
  purpose: string;
  wrapped: Buffer;
  wrappingKeyId: number;
}>(
  'keys.insertIfMissing',
  `INSERT INTO organisation_key (organisation_id, key_id, purpose, subject_id, status, wrapped,
                              wrapping_key_id, wrapped_by)
VALUES (:organisationId, :keyId, :purpose, NULL, 'active', :wrapped, :wrappingKeyId, 'kek')
ON CONFLICT DO NOTHING`,
);

const nextPersonKeyIds = statement<{ count: number }, { id: number }>(
  'keys.nextPersonKeyIds',
  `SELECT nextval('person_key_id_seq')::int AS id FROM generate_series(1, :count)`,
);

const insertPersonKeys = statement<{
  organisationId: string;
  wrappingKeyId: number;
  keyIds: number[];
  personIds: string[];
  wrapped: Buffer[];
}>(
  'keys.insertPersonKeys',
  `INSERT INTO organisation_key (organisation_id, key_id, purpose, subject_id, status, wrapped,
                              wrapping_key_id, wrapped_by)
SELECT :organisationId, key_id, 'person_data', subject_id, 'active', wrapped, :wrappingKeyId, 'kek'
  FROM unnest(:keyIds::int[], :personIds::uuid[], :wrapped::bytea[]) AS k(key_id, subject_id, wrapped)`,
);

const destroyPersonKeys = statement<{ organisationId: string; personId: string }>(
  'keys.destroyPersonKeys',
  `UPDATE organisation_key SET status = 'destroyed', wrapped = NULL
 WHERE organisation_id = :organisationId AND purpose = 'person_data' AND subject_id = :personId
   AND status <> 'destroyed'
RETURNING key_id`,
);

const lockdownState = statement<{ organisationId: string }, { lockdown_at: Date | null }>(
  'keys.lockdownState',
  `SELECT lockdown_at FROM organisation WHERE id = :organisationId`,
);

/** The keyring's rows (`organisation_key`): wrapped keys, never key material in the clear. */
@Injectable()
export class OrganisationKeysRepository {
  find(tx: Tx, organisationId: string, keyId: number): Promise<OrganisationKeyEntity | null> {
    return tx.manager.getRepository(OrganisationKeyEntity).findOneBy({ organisationId, keyId });
  }

  exists(tx: Tx, organisationId: string, keyId: number): Promise<boolean> {
    return tx.manager.getRepository(OrganisationKeyEntity).existsBy({ organisationId, keyId });
  }

  async insert(tx: Tx, row: NewKeyRow): Promise<void> {
    await tx.manager.getRepository(OrganisationKeyEntity).insert(row);
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
    await query(tx.manager, insertIfMissing, row);
  }

  /** `count` fresh person-key ids from the shared sequence. */
  async nextPersonKeyIds(tx: Tx, count: number): Promise<number[]> {
    return (await query(tx.manager, nextPersonKeyIds, { count })).map((r) => r.id);
  }

  /** Person keys wrapped by key `wrappingKeyId`, in one statement. */
  async insertPersonKeys(
    tx: Tx,
    organisationId: string,
    wrappingKeyId: number,
    keys: readonly { keyId: number; personId: string; wrapped: Buffer }[],
  ): Promise<void> {
    await query(tx.manager, insertPersonKeys, {
      organisationId,
      wrappingKeyId,
      keyIds: keys.map((k) => k.keyId),
      personIds: keys.map((k) => k.personId),
      wrapped: keys.map((k) => k.wrapped),
    });
  }

  /** Every key of the person loses its material (the row stays, `destroyed`); their ids. */
  async destroyPersonKeys(tx: Tx, organisationId: string, personId: string): Promise<number[]> {
    // An UPDATE … RETURNING answers [rows, count] through TypeORM's postgres driver.
    const [rows] = (await query(tx.manager, destroyPersonKeys, {
      organisationId,
      personId,
    })) as unknown as [{ key_id: number }[], number];
    return rows.map((r) => r.key_id);
  }

  /** When the organisation's lockdown began (null: none); undefined when it is not visible. */
  async lockdownState(tx: Tx, organisationId: string): Promise<Date | null | undefined> {
    const [row] = await prepared(tx, lockdownState, { organisationId });
    return row?.lockdown_at;
  }
}
