import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import {
  KeyCache,
  KeyError,
  type HarbourCrypto,
  type KeyBinding,
  type KeyProvider,
  type SecretKey,
} from '@harbour/crypto';
import { HARBOUR_CRYPTO, KEY_CACHE, KEY_PROVIDER } from '../../infra/crypto/crypto.module';
import type { Tx } from '../../infra/database/transaction';
import { OrganisationKeyEntity } from './organisation-key.entity';

/** Key ids of the keys every organisation starts with. */
export const KEK_ID = 1;
export const ORGANISATION_DATA_KEY_ID = 2;
export const INDEX_KEY_ID = 3;
export const AUDIT_KEY_ID = 4;

/** The columns of a keyring row that `personKeyFromRow` checks and unwraps. */
export type PersonKeyRow = Pick<
  OrganisationKeyEntity,
  'purpose' | 'subjectId' | 'status' | 'wrappingKeyId' | 'wrapped'
>;

const personKeyName = (organisationId: string, keyId: number, personId: string): string =>
  `${organisationId}:${keyId}:${personId}`;

/**
 * The organisation keyring (DESIGN.md §5): a KEK wrapped by the key provider, and data keys
 * wrapped by the KEK, all in `organisation_key` under row-level security. Unwrapped keys are
 * cached briefly (and zeroed when evicted).
 */
/** How long an unwrapped person key stays cached, and how many are kept at most. */
const PERSON_KEY_TTL_MS = 5 * 60 * 1000;
const PERSON_KEYS_CACHED = 10_000;

@Injectable()
export class KeyringService implements OnModuleDestroy {
  /**
   * Person keys in a cache of their own: reading many people (a lookup, a bulk intake, a busy
   * day) must never evict — and so zero — an organisation key another request is using.
   */
  readonly #personKeys = new KeyCache({
    ttlMs: PERSON_KEY_TTL_MS,
    maxEntries: PERSON_KEYS_CACHED,
  });

  constructor(
    @Inject(HARBOUR_CRYPTO) private readonly crypto: HarbourCrypto,
    @Inject(KEY_PROVIDER) private readonly provider: KeyProvider,
    @Inject(KEY_CACHE) private readonly cache: KeyCache,
  ) {}

  /** Creates the KEK, the organisation data key and the index key of a new organisation. */
  async provision(tx: Tx, organisationId: string): Promise<void> {
    const kek = this.crypto.generateKey(KEK_ID);
    const data = this.crypto.generateKey(ORGANISATION_DATA_KEY_ID);
    const index = this.crypto.generateKey(INDEX_KEY_ID);
    const audit = this.crypto.generateKey(AUDIT_KEY_ID);
    try {
      const repo = tx.manager.getRepository(OrganisationKeyEntity);
      const kekBinding: KeyBinding = { organisationId, purpose: 'kek', keyId: KEK_ID };
      await repo.insert({
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
        await repo.insert({
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

  /** The organisation's data key (for class B values and staff secrets such as TOTP seeds). */
  organisationDataKey(tx: Tx, organisationId: string): Promise<SecretKey> {
    return this.dataKey(tx, organisationId, ORGANISATION_DATA_KEY_ID, 'organisation_data');
  }

  /**
   * The organisation's audit key (checkpoint signing and event MACs). Organisations created
   * before the access log existed get one on first use.
   */
  async auditKey(tx: Tx, organisationId: string): Promise<SecretKey> {
    const cached = this.cache.get(`${organisationId}:${AUDIT_KEY_ID}`);
    if (cached !== undefined) return cached;
    const exists = await tx.manager
      .getRepository(OrganisationKeyEntity)
      .existsBy({ organisationId, keyId: AUDIT_KEY_ID });
    if (!exists) {
      const kek = await this.kek(tx, organisationId);
      const audit = this.crypto.generateKey(AUDIT_KEY_ID);
      try {
        await tx.manager.query(
          `INSERT INTO organisation_key (organisation_id, key_id, purpose, subject_id, status, wrapped,
                                         wrapping_key_id, wrapped_by)
           VALUES ($1, $2, 'audit', NULL, 'active', $3, $4, 'kek') ON CONFLICT DO NOTHING`,
          [
            organisationId,
            AUDIT_KEY_ID,
            Buffer.from(
              this.crypto.wrapKey(kek, audit, {
                organisationId,
                purpose: 'audit',
                keyId: AUDIT_KEY_ID,
              }),
            ),
            KEK_ID,
          ],
        );
      } finally {
        audit.destroy();
      }
    }
    return this.dataKey(tx, organisationId, AUDIT_KEY_ID, 'audit');
  }

  /** The organisation's blind-index key. */
  indexKey(tx: Tx, organisationId: string): Promise<SecretKey> {
    return this.dataKey(tx, organisationId, INDEX_KEY_ID, 'index');
  }

  /**
   * A new data key for one person (DESIGN.md §5 "Per-person data keys"), wrapped by the KEK and
   * bound to the person's id; destroying its wrapped copy erases the person's identity.
   */
  async createPersonKey(tx: Tx, organisationId: string, personId: string): Promise<SecretKey> {
    const [key] = await this.createPersonKeys(tx, organisationId, [personId]);
    return key!;
  }

  /** New data keys for several people at once (one id query, one insert), in order. */
  async createPersonKeys(
    tx: Tx,
    organisationId: string,
    personIds: readonly string[],
  ): Promise<SecretKey[]> {
    if (personIds.length > PERSON_KEYS_CACHED) throw new RangeError('too many keys at once');
    const ids = await tx.manager.query<{ id: number }[]>(
      `SELECT nextval('person_key_id_seq')::int AS id FROM generate_series(1, $1)`,
      [personIds.length],
    );
    const kek = await this.kek(tx, organisationId);
    const keys = personIds.map((_, i) => this.crypto.generateKey(ids[i]!.id));
    const wrapped = keys.map((key, i) =>
      Buffer.from(
        this.crypto.wrapKey(kek, key, {
          organisationId,
          purpose: 'person_data',
          keyId: key.id,
          subjectId: personIds[i]!,
        }),
      ),
    );
    await tx.manager.query(
      `INSERT INTO organisation_key (organisation_id, key_id, purpose, subject_id, status, wrapped,
                                     wrapping_key_id, wrapped_by)
       SELECT $1, key_id, 'person_data', subject_id, 'active', wrapped, $2, 'kek'
         FROM unnest($3::int[], $4::uuid[], $5::bytea[]) AS k(key_id, subject_id, wrapped)`,
      [organisationId, KEK_ID, keys.map((k) => k.id), [...personIds], wrapped],
    );
    // Cached like every unwrapped key (the cache owns them and zeroes them on eviction).
    keys.forEach((key, i) =>
      this.#personKeys.set(personKeyName(organisationId, key.id, personIds[i]!), key),
    );
    return keys;
  }

  /**
   * The person's current data key, created on first use: their identity and the notes of their
   * contacts are encrypted under it, so destroying it erases all of them (DESIGN.md §5).
   */
  async personKeyFor(tx: Tx, organisationId: string, personId: string): Promise<SecretKey> {
    const [row] = await tx.manager.query<{ key_id: number }[]>(
      `SELECT key_id FROM organisation_key
        WHERE organisation_id = $1 AND purpose = 'person_data' AND subject_id = $2 AND status = 'active'
        ORDER BY key_id DESC LIMIT 1`,
      [organisationId, personId],
    );
    return row === undefined
      ? this.createPersonKey(tx, organisationId, personId)
      : this.personKey(tx, organisationId, row.key_id, personId);
  }

  /**
   * A person's data key. The keyring row must be a person key of this very person: a key id
   * copied from another person's row fails to unwrap (its binding names the other person).
   */
  personKey(tx: Tx, organisationId: string, keyId: number, personId: string): Promise<SecretKey> {
    return this.#personKeys.getOrLoad(personKeyName(organisationId, keyId, personId), async () => {
      const row = await tx.manager
        .getRepository(OrganisationKeyEntity)
        .findOneBy({ organisationId, keyId });
      return this.unwrapPersonKey(tx, organisationId, keyId, personId, row);
    });
  }

  /**
   * `personKey` for a caller that has already read the keyring row `(organisationId, keyId)`
   * (a lookup joins it to the identity rows, saving a round trip per candidate), or null when
   * there is none. The same checks apply: the row must be an unwrappable person key of this
   * very person.
   */
  personKeyFromRow(
    tx: Tx,
    organisationId: string,
    keyId: number,
    personId: string,
    row: PersonKeyRow | null,
  ): Promise<SecretKey> {
    return this.#personKeys.getOrLoad(personKeyName(organisationId, keyId, personId), () =>
      this.unwrapPersonKey(tx, organisationId, keyId, personId, row),
    );
  }

  private async unwrapPersonKey(
    tx: Tx,
    organisationId: string,
    keyId: number,
    personId: string,
    row: PersonKeyRow | null,
  ): Promise<SecretKey> {
    if (row === null) throw new KeyError('unwrap_failed');
    if (
      row.wrapped === null ||
      row.purpose !== 'person_data' ||
      row.subjectId !== personId ||
      row.wrappingKeyId !== KEK_ID ||
      (row.status !== 'active' && row.status !== 'decrypt_only')
    ) {
      throw new KeyError('unwrap_failed');
    }
    const kek = await this.kek(tx, organisationId);
    return this.crypto.unwrapKey(kek, new Uint8Array(row.wrapped), {
      organisationId,
      purpose: 'person_data',
      keyId,
      subjectId: personId,
    });
  }

  /**
   * Crypto-shredding (DESIGN.md §9): every key of the person loses its wrapped material (the row
   * and id stay, as `destroyed`), and this instance forgets (and zeroes) any copy it holds.
   * Returns how many keys were destroyed.
   */
  async destroyPersonKeys(tx: Tx, organisationId: string, personId: string): Promise<number> {
    // An UPDATE … RETURNING answers [rows, count] through TypeORM's postgres driver.
    const [rows] = await tx.manager.query<[{ key_id: number }[], number]>(
      `UPDATE organisation_key SET status = 'destroyed', wrapped = NULL
        WHERE organisation_id = $1 AND purpose = 'person_data' AND subject_id = $2
          AND status <> 'destroyed'
        RETURNING key_id`,
      [organisationId, personId],
    );
    for (const row of rows)
      this.#personKeys.delete(personKeyName(organisationId, row.key_id, personId));
    return rows.length;
  }

  onModuleDestroy(): void {
    this.#personKeys.clear();
  }

  get cipher(): HarbourCrypto {
    return this.crypto;
  }

  private async dataKey(
    tx: Tx,
    organisationId: string,
    keyId: number,
    purpose: 'organisation_data' | 'index' | 'audit',
  ): Promise<SecretKey> {
    return this.cache.getOrLoad(`${organisationId}:${keyId}`, async () => {
      const kek = await this.kek(tx, organisationId);
      const row = await this.row(tx, organisationId, keyId);
      if (row.purpose !== purpose || row.wrappingKeyId !== KEK_ID)
        throw new KeyError('unwrap_failed');
      return this.crypto.unwrapKey(kek, row.wrapped, { organisationId, purpose, keyId });
    });
  }

  private kek(tx: Tx, organisationId: string): Promise<SecretKey> {
    return this.cache.getOrLoad(`${organisationId}:${KEK_ID}`, async () => {
      const row = await this.row(tx, organisationId, KEK_ID);
      return this.provider.unwrapKek(row.wrapped, {
        organisationId,
        purpose: 'kek',
        keyId: KEK_ID,
      });
    });
  }

  private async row(
    tx: Tx,
    organisationId: string,
    keyId: number,
  ): Promise<{ purpose: string; wrappingKeyId: number; wrapped: Uint8Array }> {
    const row = await tx.manager
      .getRepository(OrganisationKeyEntity)
      .findOneBy({ organisationId, keyId });
    if (row === null) throw new KeyError('unwrap_failed');
    if (row.wrapped === null || (row.status !== 'active' && row.status !== 'decrypt_only')) {
      throw new KeyError('unwrap_failed');
    }
    return {
      purpose: row.purpose,
      wrappingKeyId: row.wrappingKeyId,
      wrapped: new Uint8Array(row.wrapped),
    };
  }
}
