import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import {
  KeyCache,
  KeyError,
  type HarbourCrypto,
  type KeyProvider,
  type SecretKey,
} from '@harbour/crypto';
import { LockdownActiveError } from '../../infra/auth/lockdown';
import { HARBOUR_CRYPTO, KEY_CACHE, KEY_PROVIDER } from '../../infra/crypto/crypto.module';
import { Db, type Tx } from '../../infra/database/transaction';
import { describeError } from '../../infra/logging/logger';
import type { PersonKeyRow } from '../../data/keys/organisation-key.entity';
import { OrganisationKeysRepository } from '../../data/keys/organisation-keys.repository';
import { currentPersonKeyIdFor } from '../../data/keys/person-keys';
import {
  AUDIT_KEY_ID,
  INDEX_KEY_ID,
  KEK_ID,
  LOCKDOWN_SWEEP_INTERVAL,
  ORGANISATION_DATA_KEY_ID,
  personKeyName,
  staffSecretField,
  type StaffSecretPlace,
} from './key-ids';

export type { PersonKeyRow };
export {
  AUDIT_KEY_ID,
  INDEX_KEY_ID,
  KEK_ID,
  LOCKDOWN_SWEEP_INTERVAL,
  LOCKDOWN_SWEEP_MS,
  ORGANISATION_DATA_KEY_ID,
  type StaffSecretPlace,
} from './key-ids';

/**
 * The organisation keyring (docs/design.md §5): a KEK wrapped by the key provider, and data keys
 * wrapped by the KEK, all in `organisation_key` under row-level security. Unwrapped keys are
 * cached briefly (and zeroed when evicted).
 *
 * Lockdown (docs/security.md T25) is enforced here as well as by the access guard, so that a code
 * path that forgets the guard still cannot decrypt: the first key asked for in a transaction
 * reads the organisation's lockdown state in that transaction (cached keys included); while it
 * is locked, the KEK, the data key, the index key and person keys are refused with
 * `lockdown_active`, and every cached key of the organisation is dropped (zeroed). Two uses stay
 * possible, each with keys unwrapped for the one use and zeroed at once: the audit key (which
 * MACs and signs the access log and decrypts nothing), so refusals are still logged, and staff
 * sign-in secrets (`openStaffSecret`, `sealStaffSecret`: the associated data binds them to
 * `staff_user` TOTP columns, so no other ciphertext opens this way), so admins can sign in to
 * approve lifting the lockdown. Every instance also sweeps its cache for organisations locked
 * through another instance (`LOCKDOWN_SWEEP_MS`).
 */
/** How long an unwrapped person key stays cached, and how many are kept at most. */
const PERSON_KEY_TTL_MS = 5 * 60 * 1000;
const PERSON_KEYS_CACHED = 10_000;

@Injectable()
export class KeyringService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Keyring');
  /** Organisations found not in lockdown, per transaction (checked once per transaction). */
  readonly #unlocked = new WeakMap<Tx, Set<string>>();
  #sweepTimer: NodeJS.Timeout | null = null;

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
    private readonly db: Db,
    private readonly keys: OrganisationKeysRepository,
    @Inject(LOCKDOWN_SWEEP_INTERVAL) private readonly sweepEveryMs: number,
  ) {}

  onModuleInit(): void {
    if (this.sweepEveryMs <= 0) return;
    this.#sweepTimer = setInterval(() => {
      this.sweepLockedOrganisations().catch((error: unknown) =>
        this.logger.warn({ err: describeError(error) }, 'lockdown sweep failed'),
      );
    }, this.sweepEveryMs);
    this.#sweepTimer.unref();
  }

  /** The organisation's data key (for class B values). Refused in lockdown. */
  async organisationDataKey(tx: Tx, organisationId: string): Promise<SecretKey> {
    await this.assertUnlocked(tx, organisationId);
    return this.dataKey(tx, organisationId, ORGANISATION_DATA_KEY_ID, 'organisation_data');
  }

  /**
   * Decrypts a staff member's TOTP seed (under the organisation data key, bound to its
   * `staff_user` column and row). Works in lockdown too, so that admins can sign in: then the
   * keys are unwrapped for this one use and zeroed, never cached.
   */
  async openStaffSecret(
    tx: Tx,
    place: StaffSecretPlace,
    ciphertext: Uint8Array,
  ): Promise<Uint8Array> {
    return this.withStaffSecretKey(tx, place.organisationId, (key) =>
      this.crypto.decryptField(key, staffSecretField(place), ciphertext),
    );
  }

  /** Encrypts a staff member's TOTP seed (see `openStaffSecret`). */
  async sealStaffSecret(tx: Tx, place: StaffSecretPlace, secret: Uint8Array): Promise<Uint8Array> {
    return this.withStaffSecretKey(tx, place.organisationId, (key) =>
      this.crypto.encryptField(key, staffSecretField(place), secret),
    );
  }

  /**
   * The organisation's audit key (checkpoint signing and event MACs). Organisations created
   * before the access log existed get one on first use. Served in lockdown too: it decrypts
   * nothing, and every refusal must still be logged.
   */
  async auditKey(tx: Tx, organisationId: string): Promise<SecretKey> {
    const cached = this.cache.get(`${organisationId}:${AUDIT_KEY_ID}`);
    if (cached !== undefined) return cached;
    await this.unlocked(tx, organisationId); // in lockdown, drops the other cached keys
    const exists = await this.keys.exists(tx, organisationId, AUDIT_KEY_ID);
    if (!exists) {
      const kek = await this.unwrapKek(tx, organisationId);
      const audit = this.crypto.generateKey(AUDIT_KEY_ID);
      try {
        const binding = { organisationId, purpose: 'audit', keyId: AUDIT_KEY_ID } as const;
        await this.keys.insertIfMissing(tx, {
          organisationId,
          keyId: AUDIT_KEY_ID,
          purpose: 'audit',
          wrapped: Buffer.from(this.crypto.wrapKey(kek, audit, binding)),
          wrappingKeyId: KEK_ID,
        });
      } finally {
        audit.destroy();
        kek.destroy();
      }
    }
    return this.cache.getOrLoad(`${organisationId}:${AUDIT_KEY_ID}`, async () => {
      // The KEK of this one unwrap is not cached: in lockdown it must not stay in memory.
      const kek = await this.unwrapKek(tx, organisationId);
      try {
        return await this.unwrapDataKey(tx, kek, organisationId, AUDIT_KEY_ID, 'audit');
      } finally {
        kek.destroy();
      }
    });
  }

  /** The organisation's blind-index key. Refused in lockdown. */
  async indexKey(tx: Tx, organisationId: string): Promise<SecretKey> {
    await this.assertUnlocked(tx, organisationId);
    return this.dataKey(tx, organisationId, INDEX_KEY_ID, 'index');
  }

  /**
   * A new data key for one person (docs/design.md §5 "Per-person data keys"), wrapped by the KEK and
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
    await this.assertUnlocked(tx, organisationId);
    const ids = await this.keys.nextPersonKeyIds(tx, personIds.length);
    const kek = await this.kek(tx, organisationId);
    const keys = personIds.map((_, i) => this.crypto.generateKey(ids[i]!));
    const rows = keys.map((key, i) => {
      const binding = { organisationId, purpose: 'person_data', keyId: key.id } as const;
      const subjectId = personIds[i]!;
      const wrapped = Buffer.from(this.crypto.wrapKey(kek, key, { ...binding, subjectId }));
      return { keyId: key.id, personId: subjectId, wrapped };
    });
    await this.keys.insertPersonKeys(tx, organisationId, KEK_ID, rows);
    // Cached like every unwrapped key (the cache owns them and zeroes them on eviction).
    keys.forEach((key, i) =>
      this.#personKeys.set(personKeyName(organisationId, key.id, personIds[i]!), key),
    );
    return keys;
  }

  /**
   * The person's current data key, created on first use: their identity and the notes of their
   * contacts are encrypted under it, so destroying it erases all of them (docs/design.md §5).
   */
  async personKeyFor(tx: Tx, organisationId: string, personId: string): Promise<SecretKey> {
    await this.assertUnlocked(tx, organisationId);
    const keyId = await currentPersonKeyIdFor(tx, organisationId, personId);
    return keyId === null
      ? this.createPersonKey(tx, organisationId, personId)
      : this.personKey(tx, organisationId, keyId, personId);
  }

  /**
   * A person's data key. The keyring row must be a person key of this very person: a key id
   * copied from another person's row fails to unwrap (its binding names the other person).
   */
  async personKey(
    tx: Tx,
    organisationId: string,
    keyId: number,
    personId: string,
  ): Promise<SecretKey> {
    await this.assertUnlocked(tx, organisationId);
    return this.#personKeys.getOrLoad(personKeyName(organisationId, keyId, personId), async () => {
      const row = await this.keys.find(tx, organisationId, keyId);
      return this.unwrapPersonKey(tx, organisationId, keyId, personId, row);
    });
  }

  /**
   * `personKey` for a caller that has already read the keyring row `(organisationId, keyId)`
   * (a lookup joins it to the identity rows, saving a round trip per candidate), or null when
   * there is none. The same checks apply: the row must be an unwrappable person key of this
   * very person.
   */
  async personKeyFromRow(
    tx: Tx,
    organisationId: string,
    keyId: number,
    personId: string,
    row: PersonKeyRow | null,
  ): Promise<SecretKey> {
    await this.assertUnlocked(tx, organisationId);
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
   * Crypto-shredding (docs/design.md §9): every key of the person loses its wrapped material (the row
   * and id stay, as `destroyed`), and this instance forgets (and zeroes) any copy it holds.
   * Returns how many keys were destroyed.
   */
  async destroyPersonKeys(tx: Tx, organisationId: string, personId: string): Promise<number> {
    const keyIds = await this.keys.destroyPersonKeys(tx, organisationId, personId);
    for (const keyId of keyIds)
      this.#personKeys.delete(personKeyName(organisationId, keyId, personId));
    return keyIds.length;
  }

  /**
   * Drops (and zeroes) every cached key of the organisation, in this instance: at lockdown, and
   * whenever a lockdown is noticed. Returns how many keys were dropped.
   */
  forget(organisationId: string): number {
    const prefix = `${organisationId}:`;
    return this.cache.deletePrefix(prefix) + this.#personKeys.deletePrefix(prefix);
  }

  /**
   * The purposes of the organisation's keys this instance holds in memory now, one entry per
   * key (`kek`, `organisation_data`, `index`, `audit`, `person_data`). In lockdown only `audit`
   * may appear: it MACs and signs the access log, and decrypts nothing.
   */
  cachedKeys(organisationId: string): string[] {
    const prefix = `${organisationId}:`;
    const purposes: Readonly<Record<string, string>> = {
      [KEK_ID]: 'kek',
      [ORGANISATION_DATA_KEY_ID]: 'organisation_data',
      [INDEX_KEY_ID]: 'index',
      [AUDIT_KEY_ID]: 'audit',
    };
    return [
      ...this.cache
        .names()
        .filter((name) => name.startsWith(prefix))
        .map((name) => purposes[name.slice(prefix.length)] ?? 'unknown'),
      ...this.#personKeys
        .names()
        .filter((name) => name.startsWith(prefix))
        .map(() => 'person_data'),
    ].sort();
  }

  /**
   * For every organisation whose keys this instance holds, reads its lockdown state and drops
   * the keys of the locked ones (a lockdown started through another instance). Runs every
   * `LOCKDOWN_SWEEP_MS`; returns the organisations whose keys were dropped.
   */
  async sweepLockedOrganisations(): Promise<string[]> {
    const organisations = new Set(
      [...this.cache.names(), ...this.#personKeys.names()].map((name) => name.split(':')[0]!),
    );
    const dropped: string[] = [];
    for (const organisationId of organisations) {
      const locked = await this.db.transaction(organisationId, async (tx) =>
        this.lockdownState(tx, organisationId),
      );
      if (locked !== null) {
        this.forget(organisationId);
        dropped.push(organisationId);
      }
    }
    return dropped;
  }

  onModuleDestroy(): void {
    if (this.#sweepTimer !== null) clearInterval(this.#sweepTimer);
    this.#personKeys.clear();
  }

  get cipher(): HarbourCrypto {
    return this.crypto;
  }

  /** Callers have checked the lockdown state (`assertUnlocked`) in this transaction. */
  private async dataKey(
    tx: Tx,
    organisationId: string,
    keyId: number,
    purpose: 'organisation_data' | 'index',
  ): Promise<SecretKey> {
    return this.cache.getOrLoad(`${organisationId}:${keyId}`, async () =>
      this.unwrapDataKey(tx, await this.kek(tx, organisationId), organisationId, keyId, purpose),
    );
  }

  private async unwrapDataKey(
    tx: Tx,
    kek: SecretKey,
    organisationId: string,
    keyId: number,
    purpose: 'organisation_data' | 'index' | 'audit',
  ): Promise<SecretKey> {
    const row = await this.row(tx, organisationId, keyId);
    if (row.purpose !== purpose || row.wrappingKeyId !== KEK_ID)
      throw new KeyError('unwrap_failed');
    return this.crypto.unwrapKey(kek, row.wrapped, { organisationId, purpose, keyId });
  }

  /** The KEK, cached. Refused in lockdown. */
  private async kek(tx: Tx, organisationId: string): Promise<SecretKey> {
    await this.assertUnlocked(tx, organisationId);
    return this.cache.getOrLoad(`${organisationId}:${KEK_ID}`, () =>
      this.unwrapKek(tx, organisationId),
    );
  }

  /** The KEK unwrapped for one use, never cached: the caller destroys it. */
  private async unwrapKek(tx: Tx, organisationId: string): Promise<SecretKey> {
    const row = await this.row(tx, organisationId, KEK_ID);
    return this.provider.unwrapKek(row.wrapped, { organisationId, purpose: 'kek', keyId: KEK_ID });
  }

  /**
   * Runs `use` with the organisation data key: the cached one normally; in lockdown, one
   * unwrapped for this use only and zeroed afterwards (with its KEK).
   */
  private async withStaffSecretKey<T>(
    tx: Tx,
    organisationId: string,
    use: (key: SecretKey) => T,
  ): Promise<T> {
    if (await this.unlocked(tx, organisationId)) {
      return use(await this.organisationDataKey(tx, organisationId));
    }
    const kek = await this.unwrapKek(tx, organisationId);
    let key: SecretKey | null = null;
    try {
      key = await this.unwrapDataKey(
        tx,
        kek,
        organisationId,
        ORGANISATION_DATA_KEY_ID,
        'organisation_data',
      );
      return use(key);
    } finally {
      key?.destroy();
      kek.destroy();
    }
  }

  /**
   * Refuses with `lockdown_active` (and drops the organisation's cached keys) while the
   * organisation is in lockdown. Read once per transaction, in that transaction.
   */
  private async assertUnlocked(tx: Tx, organisationId: string): Promise<void> {
    if (!(await this.unlocked(tx, organisationId))) throw new LockdownActiveError();
  }

  /**
   * Whether the organisation is out of lockdown, read once per transaction; in lockdown, its
   * cached keys are dropped.
   */
  private async unlocked(tx: Tx, organisationId: string): Promise<boolean> {
    if (this.#unlocked.get(tx)?.has(organisationId) === true) return true;
    if ((await this.lockdownState(tx, organisationId)) !== null) {
      this.forget(organisationId);
      return false;
    }
    const checked = this.#unlocked.get(tx) ?? new Set<string>();
    checked.add(organisationId);
    this.#unlocked.set(tx, checked);
    return true;
  }

  /** When the organisation's lockdown began, or null. Not visible (another tenant): refused. */
  private async lockdownState(tx: Tx, organisationId: string): Promise<Date | null> {
    const lockdownAt = await this.keys.lockdownState(tx, organisationId);
    if (lockdownAt === undefined) throw new KeyError('unwrap_failed');
    return lockdownAt;
  }

  private async row(
    tx: Tx,
    organisationId: string,
    keyId: number,
  ): Promise<{ purpose: string; wrappingKeyId: number; wrapped: Uint8Array }> {
    const row = await this.keys.find(tx, organisationId, keyId);
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
