import { Injectable } from '@nestjs/common';
import type { Tx } from '../../infra/database/transaction';
import { query, statement } from '../sql';
import { RecoveryCodeEntity } from './recovery-code.entity';

const useCode = statement<{ userId: string; hash: Buffer; now: Date }>(
  'staff.useRecoveryCode',
  `UPDATE recovery_code SET used_at = :now
 WHERE user_id = :userId AND code_hash = :hash AND used_at IS NULL RETURNING user_id`,
);

/** Recovery codes: only their SHA-256 is stored, each usable once. */
@Injectable()
export class RecoveryCodesRepository {
  /** The user's codes replaced by new ones (given as hashes). */
  async replace(
    tx: Tx,
    organisationId: string,
    userId: string,
    hashes: readonly Buffer[],
  ): Promise<void> {
    await this.deleteForUser(tx, organisationId, userId);
    await tx.manager
      .getRepository(RecoveryCodeEntity)
      .insert(hashes.map((codeHash) => ({ organisationId, userId, codeHash, usedAt: null })));
  }

  /** Every code of the user (a second factor reset). */
  async deleteForUser(tx: Tx, organisationId: string, userId: string): Promise<void> {
    await tx.manager.getRepository(RecoveryCodeEntity).delete({ organisationId, userId });
  }

  /** Uses a code; false when there is no such unused code. */
  async use(tx: Tx, userId: string, hash: Buffer, now: Date): Promise<boolean> {
    const result = (await query(tx.manager, useCode, { userId, hash, now })) as unknown as [
      unknown[],
      number,
    ];
    return result[1] === 1;
  }
}
