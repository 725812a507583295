import { Injectable } from '@nestjs/common';
import type { Tx } from '../../infra/database/transaction';
import { query, statement } from '../sql';
import { CanaryEntity } from './canary.entity';

const save = statement<{ organisationId: string; id: string; sealed: Buffer }>(
  'canaries.save',
  `INSERT INTO canary (organisation_id, id, sealed) VALUES (:organisationId, :id, :sealed)
ON CONFLICT (organisation_id, id) DO UPDATE SET sealed = EXCLUDED.sealed`,
);

/** The canary markers: one sealed envelope per canary, opaque to a database reader. */
@Injectable()
export class CanariesRepository {
  all(tx: Tx, organisationId: string): Promise<CanaryEntity[]> {
    return tx.manager.getRepository(CanaryEntity).findBy({ organisationId });
  }

  /** Writes a canary's envelope: a new row, or a retired one's new state. */
  async save(tx: Tx, organisationId: string, id: string, sealed: Buffer): Promise<void> {
    await query(tx.manager, save, { organisationId, id, sealed });
  }
}
