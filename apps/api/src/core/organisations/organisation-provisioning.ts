import { Injectable } from '@nestjs/common';
import { uuidv7 } from '@harbour/domain';
import { OrganisationsRepository } from '../../data/organisations/organisations.repository';
import { Db } from '../../infra/database/transaction';
import { KeyringService } from '../keyring/keyring.service';

/**
 * Creating an organisation with its keyring, inside a transaction whose tenant is the new
 * organisation (row-level security lets the API role create only its own tenant). Used by the
 * operator's bootstrap, the demo data and the test harness.
 */
@Injectable()
export class OrganisationProvisioning {
  constructor(
    private readonly db: Db,
    private readonly organisations: OrganisationsRepository,
    private readonly keyring: KeyringService,
  ) {}

  async create(name: string): Promise<string> {
    const id = uuidv7();
    await this.db.transaction(id, async (tx) => {
      await this.organisations.insert(tx, id, name.trim());
      await this.keyring.provision(tx, id);
    });
    return id;
  }
}
