import { Injectable } from '@nestjs/common';
import type { Tx } from '../../infra/database/transaction';
import { OrganisationEntity } from './organisation.entity';

/** Organisations (the tenants). */
@Injectable()
export class OrganisationsRepository {
  /** A new organisation, not in lockdown; the transaction's tenant must be its id. */
  async insert(tx: Tx, id: string, name: string): Promise<void> {
    await tx.manager
      .getRepository(OrganisationEntity)
      .insert({ id, name, lockdownAt: null, lockdownBy: null });
  }
}
