import { Inject, Injectable } from '@nestjs/common';
import type { HarbourCrypto, KeyBinding, KeyProvider } from '@harbour/crypto';
import { uuidv7 } from '@harbour/domain';
import { OrganisationKeysRepository } from '../../data/keys/organisation-keys.repository';
import { OrganisationsRepository } from '../../data/organisations/organisations.repository';
import { HARBOUR_CRYPTO, KEY_PROVIDER } from '../../infra/crypto/crypto.module';
import { Db, type Tx } from '../../infra/database/transaction';
import { AUDIT_KEY_ID, INDEX_KEY_ID, KEK_ID, ORGANISATION_DATA_KEY_ID } from '../keyring/key-ids';

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
    private readonly keys: OrganisationKeysRepository,
    @Inject(HARBOUR_CRYPTO) private readonly crypto: HarbourCrypto,
    @Inject(KEY_PROVIDER) private readonly provider: KeyProvider,
  ) {}

  async create(name: string): Promise<string> {
    const id = uuidv7();
    await this.db.transaction(id, async (tx) => {
      await this.organisations.insert(tx, id, name.trim());
      await this.provisionKeys(tx, id);
    });
    return id;
  }

  /**
   * The keys every organisation starts with: the KEK, wrapped by the key provider, and the
   * organisation data key, the index key and the audit key, wrapped by the KEK. Nothing is
   * cached: the material is zeroed once wrapped.
   */
  private async provisionKeys(tx: Tx, organisationId: string): Promise<void> {
    const kek = this.crypto.generateKey(KEK_ID);
    const data = this.crypto.generateKey(ORGANISATION_DATA_KEY_ID);
    const index = this.crypto.generateKey(INDEX_KEY_ID);
    const audit = this.crypto.generateKey(AUDIT_KEY_ID);
    try {
      const kekBinding: KeyBinding = { organisationId, purpose: 'kek', keyId: KEK_ID };
      await this.keys.insert(tx, {
        organisationId,
        keyId: KEK_ID,
        purpose: 'kek',
        subjectId: null,
        status: 'active',
        wrapped: Buffer.from(await this.provider.wrapKek(kek, kekBinding)),
        wrappingKeyId: 0,
        wrappedBy: this.provider.id,
      });
      for (const [key, purpose] of [
        [data, 'organisation_data'],
        [index, 'index'],
        [audit, 'audit'],
      ] as const) {
        const binding: KeyBinding = { organisationId, purpose, keyId: key.id };
        await this.keys.insert(tx, {
          organisationId,
          keyId: key.id,
          purpose,
          subjectId: null,
          status: 'active',
          wrapped: Buffer.from(this.crypto.wrapKey(kek, key, binding)),
          wrappingKeyId: KEK_ID,
          wrappedBy: 'kek',
        });
      }
    } finally {
      kek.destroy();
      data.destroy();
      index.destroy();
      audit.destroy();
    }
  }
}
