import { Injectable } from '@nestjs/common';
import type { Tx } from '../../infra/database/transaction';
import { query, statement } from '../sql';

const epochOf = statement<{ organisationId: string; userId: string }, { epoch: number }>(
  'devices.epochOf',
  `SELECT epoch FROM device_key_epoch
 WHERE organisation_id = :organisationId AND user_id = :userId`,
);

const bumpUser = statement<{ organisationId: string; userId: string; now: Date }>(
  'devices.bumpUser',
  `INSERT INTO device_key_epoch (organisation_id, user_id, epoch, changed_at)
 VALUES (:organisationId, :userId, 1, :now)
 ON CONFLICT (organisation_id, user_id)
 DO UPDATE SET epoch = device_key_epoch.epoch + 1, changed_at = :now`,
);

const bumpOrganisation = statement<{ organisationId: string; now: Date }>(
  'devices.bumpOrganisation',
  `INSERT INTO device_key_epoch (organisation_id, user_id, epoch, changed_at)
 SELECT organisation_id, id, 1, :now FROM staff_user WHERE organisation_id = :organisationId
 ON CONFLICT (organisation_id, user_id)
 DO UPDATE SET epoch = device_key_epoch.epoch + 1, changed_at = :now`,
);

/** Device-key epochs (`device_key_epoch`): read at release, raised to revoke. */
@Injectable()
export class DeviceKeysRepository {
  async epoch(tx: Tx, organisationId: string, userId: string): Promise<number> {
    const rows = await query(tx.manager, epochOf, { organisationId, userId });
    return rows[0]?.epoch ?? 0;
  }

  /** Every device key of this user released so far stops opening anything. */
  async revokeUser(tx: Tx, organisationId: string, userId: string, now: Date): Promise<void> {
    await query(tx.manager, bumpUser, { organisationId, userId, now });
  }

  /** Every device key of every user of the organisation (lockdown). */
  async revokeOrganisation(tx: Tx, organisationId: string, now: Date): Promise<void> {
    await query(tx.manager, bumpOrganisation, { organisationId, now });
  }
}
