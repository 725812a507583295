import { Injectable } from '@nestjs/common';
import type { Tx } from '../../infra/database/transaction';
import { query, statement } from '../sql';
import { IdempotencyKeyEntity } from './idempotency-key.entity';

/** Which retry record a request's `Idempotency-Key` names (its MAC, never the key itself). */
export type IdempotencyKeyName = Pick<
  IdempotencyKeyEntity,
  'organisationId' | 'userId' | 'route' | 'keyMac'
>;

const lockKey = statement<{ name: string }>(
  'idempotency.lockKey',
  `SELECT pg_advisory_xact_lock(hashtextextended(:name, 0))`,
);

const purgeExpired = statement<{ now: Date }>(
  'idempotency.purgeExpired',
  `SELECT idempotency_purge(:now)`,
);

/** Retry state of creates that carried an `Idempotency-Key` (24 hours, answers encrypted). */
@Injectable()
export class IdempotencyKeysRepository {
  /** Waits, until the transaction ends, for any other request holding the lock `name`. */
  async lock(tx: Tx, name: string): Promise<void> {
    await query(tx.manager, lockKey, { name });
  }

  find(tx: Tx, key: IdempotencyKeyName): Promise<IdempotencyKeyEntity | null> {
    return tx.manager.getRepository(IdempotencyKeyEntity).findOneBy(key);
  }

  /** Deletes expired retry state of every organisation (a SECURITY DEFINER function). */
  async purgeExpired(tx: Tx, now: Date): Promise<void> {
    await query(tx.manager, purgeExpired, { now });
  }

  async insert(
    tx: Tx,
    row: Omit<IdempotencyKeyEntity, 'createdAt' | 'organisation'>,
  ): Promise<void> {
    await tx.manager.getRepository(IdempotencyKeyEntity).insert(row);
  }
}
