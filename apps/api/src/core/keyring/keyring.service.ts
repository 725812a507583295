import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import {
  KeyCache,
  KeyError,
  type HarbourCrypto,
  type KeyProvider,
  type SecretKey,
} from '@harbour/crypto';
import { HARBOUR_CRYPTO, KEY_CACHE, KEY_PROVIDER } from '../../infra/crypto/crypto.module';
import type { Tx } from '../../infra/database/transaction';
import type { PersonKeyRow } from '../../data/keys/organisation-key.entity';
import { OrganisationKeysRepository } from '../../data/keys/organisation-keys.repository';
import { currentPersonKeyIdFor } from '../../data/keys/person-keys';
import { KekStore } from './kek-store';
import { TransactionKeyState } from './transaction-key-state';
import {
  AUDIT_KEY_ID,
  INDEX_KEY_ID,
  dataKeyName,
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
export class KeyringService implements OnModuleDestroy {
  /** Per transaction: lockdown state and current data key (`TransactionKeyState`). */
  readonly #state: TransactionKeyState;
  /** The organisation's KEKs (current, and any being replaced). */
  readonly #keks: KekStore;

  /**
   * Person keys in a cache of their own: reading many people (a lookup, a bulk intake, a busy
   * day) must never evict — and so zero — an organisation key another request is using.
   */
  readonly #personKeys = new KeyCache({ ttlMs: PERSON_KEY_TTL_MS, maxEntries: PERSON_KEYS_CACHED });

  constructor(
    @Inject(HARBOUR_CRYPTO) private readonly crypto: HarbourCrypto,
    @Inject(KEY_PROVIDER) private readonly provider: KeyProvider,
    @Inject(KEY_CACHE) private readonly cache: KeyCache,
    private readonly keys: OrganisationKeysRepository,
  ) {
    this.#state = new TransactionKeyState(keys, (organisationId) => this.forget(organisationId));
    this.#keks = new KekStore(crypto, provider, cache, keys, this.#state);
  }

  /**
   * The organisation's current data key, to seal class B values under. Refused in lockdown.
   * Which key is current is read in this transaction: after a rotation's switch, every
   * instance seals under the new key.
   */
  async organisationDataKey(tx: Tx, organisationId: string): Promise<SecretKey> {
    const current = await this.#state.currentDataKeyId(tx, organisationId);
    return this.dataKey(tx, organisationId, current, 'organisation_data');
  }

  /**
   * The organisation data key `keyId` (current or rotated out, not retired), to open a value
   * sealed under it. Refused in lockdown; `unwrap_failed` for any other key.
   */
  async organisationDataKeyById(tx: Tx, organisationId: string, keyId: number): Promise<SecretKey> {
    await this.#state.assertUnlocked(tx, organisationId);
    return this.dataKey(tx, organisationId, keyId, 'organisation_data');
  }

  /**
   * The key that opens `ciphertext` (by the key id in its header): one of the organisation's
   * data keys, or — only when `personId` is given — a data key of that very person.
   */
  async keyForField(
    tx: Tx,
    organisationId: string,
    ciphertext: Uint8Array,
    personId: string | null,
  ): Promise<SecretKey> {
    await this.#state.assertUnlocked(tx, organisationId);
    const keyId = this.crypto.keyIdOf(ciphertext);
    if (this.cache.get(dataKeyName(organisationId, keyId)) !== undefined || personId === null) {
      return this.dataKey(tx, organisationId, keyId, 'organisation_data');
    }
    const name = personKeyName(organisationId, keyId, personId);
    const cached = this.#personKeys.get(name);
    if (cached !== undefined) return cached;
    const row = await this.keys.find(tx, organisationId, keyId);
    if (row?.purpose === 'organisation_data') {
      return this.dataKey(tx, organisationId, keyId, 'organisation_data');
    }
    return this.#personKeys.getOrLoad(name, () =>
      this.unwrapPersonKey(tx, organisationId, keyId, personId, row),
    );
  }

  /** The id of the data key current in this transaction. Refused in lockdown. */
  currentDataKeyId(tx: Tx, organisationId: string): Promise<number> {
    return this.#state.currentDataKeyId(tx, organisationId);
  }

  /**
   * A new organisation data key with id `keyId`, wrapped by the KEK and bound to its id and
   * purpose, as the keyring stores it. The key itself is zeroed before this returns.
   */
  async wrapNewDataKey(
    tx: Tx,
    organisationId: string,
    keyId: number,
  ): Promise<{ wrapped: Buffer; wrappingKeyId: number }> {
    const kek = await this.#keks.current(tx, organisationId);
    const key = this.crypto.generateKey(keyId);
    try {
      const binding = { organisationId, purpose: 'organisation_data', keyId } as const;
      return {
        wrapped: Buffer.from(this.crypto.wrapKey(kek, key, binding)),
        wrappingKeyId: kek.id,
      };
    } finally {
      key.destroy();
    }
  }

  /** The organisation's KEKs: the current one, those being replaced, rotation's re-wrapping. */
  get keks(): KekStore {
    return this.#keks;
  }

  /** After a switch in `tx`: the rest of the transaction seals under `keyId`. */
  noteCurrentDataKey(tx: Tx, organisationId: string, keyId: number): void {
    this.#state.noteCurrent(tx, organisationId, { dataKeyId: keyId });
  }

  /** Drops this instance's copy of a data key (retired or destroyed). */
  forgetDataKey(organisationId: string, keyId: number): void {
    this.cache.delete(dataKeyName(organisationId, keyId));
  }

  /** Ids of the organisation's data keys that still open values (current and rotated out). */
  async organisationDataKeyIds(tx: Tx, organisationId: string): Promise<ReadonlySet<number>> {
    await this.#state.assertUnlocked(tx, organisationId);
    return new Set(await this.keys.organisationDataKeyIds(tx, organisationId));
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
    return this.withStaffSecretKey(
      tx,
      place.organisationId,
      this.crypto.keyIdOf(ciphertext),
      (key) => this.crypto.decryptField(key, staffSecretField(place), ciphertext),
    );
  }

  /** Encrypts a staff member's TOTP seed (see `openStaffSecret`). */
  async sealStaffSecret(tx: Tx, place: StaffSecretPlace, secret: Uint8Array): Promise<Uint8Array> {
    return this.withStaffSecretKey(tx, place.organisationId, null, (key) =>
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
    await this.#state.unlocked(tx, organisationId); // in lockdown, drops the other cached keys
    const exists = await this.keys.exists(tx, organisationId, AUDIT_KEY_ID);
    if (!exists) {
      const kek = await this.#keks.currentOnce(tx, organisationId);
      const audit = this.crypto.generateKey(AUDIT_KEY_ID);
      try {
        const binding = { organisationId, purpose: 'audit', keyId: AUDIT_KEY_ID } as const;
        await this.keys.insertIfMissing(tx, {
          organisationId,
          keyId: AUDIT_KEY_ID,
          purpose: 'audit',
          wrapped: Buffer.from(this.crypto.wrapKey(kek, audit, binding)),
          wrappingKeyId: kek.id,
        });
      } finally {
        audit.destroy();
        kek.destroy();
      }
    }
    // The KEK of this one unwrap is not cached: in lockdown it must not stay in memory.
    return this.cache.getOrLoad(`${organisationId}:${AUDIT_KEY_ID}`, () =>
      this.unwrapDataKey(tx, organisationId, AUDIT_KEY_ID, 'audit', 'once'),
    );
  }

  /** The organisation's blind-index key. Refused in lockdown. */
  async indexKey(tx: Tx, organisationId: string): Promise<SecretKey> {
    await this.#state.assertUnlocked(tx, organisationId);
    return this.dataKey(tx, organisationId, INDEX_KEY_ID, 'index');
  }

  /** The organisation's blind-index width, read with its lockdown state. Refused in lockdown. */
  indexBits(tx: Tx, organisationId: string): Promise<number> {
    return this.#state.indexBits(tx, organisationId);
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
    await this.#state.assertUnlocked(tx, organisationId);
    const ids = await this.keys.nextPersonKeyIds(tx, personIds.length);
    const kek = await this.#keks.current(tx, organisationId);
    const keys = personIds.map((_, i) => this.crypto.generateKey(ids[i]!));
    const rows = keys.map((key, i) => {
      const binding = { organisationId, purpose: 'person_data', keyId: key.id } as const;
      const subjectId = personIds[i]!;
      const wrapped = Buffer.from(this.crypto.wrapKey(kek, key, { ...binding, subjectId }));
      return { keyId: key.id, personId: subjectId, wrapped };
    });
    await this.keys.insertPersonKeys(tx, organisationId, kek.id, rows);
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
    await this.#state.assertUnlocked(tx, organisationId);
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
    await this.#state.assertUnlocked(tx, organisationId);
    return this.#personKeys.getOrLoad(personKeyName(organisationId, keyId, personId), async () => {
      const row = await this.keys.find(tx, organisationId, keyId);
      return this.unwrapPersonKey(tx, organisationId, keyId, personId, row);
    });
  }

  /**
   * `personKey` for a caller that has read the key's row (a lookup), or null (none read: it is
   * read here if the key must be unwrapped); the same checks apply.
   */
  async personKeyFromRow(
    tx: Tx,
    organisationId: string,
    keyId: number,
    personId: string,
    row: PersonKeyRow | null,
  ): Promise<SecretKey> {
    await this.#state.assertUnlocked(tx, organisationId);
    return this.#personKeys.getOrLoad(personKeyName(organisationId, keyId, personId), async () => {
      // No row, or one without its material (the key was held then, evicted since): read it.
      const full = row?.wrapped ? row : await this.keys.find(tx, organisationId, keyId);
      return this.unwrapPersonKey(tx, organisationId, keyId, personId, full);
    });
  }

  /** Whether this instance holds person `personId`'s key `keyId` unwrapped now. */
  holdsPersonKey(organisationId: string, keyId: number, personId: string): boolean {
    return this.#personKeys.get(personKeyName(organisationId, keyId, personId)) !== undefined;
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
      (row.status !== 'active' && row.status !== 'decrypt_only')
    ) {
      throw new KeyError('unwrap_failed');
    }
    // The KEK the row names (current, or one being replaced); anything else fails to unwrap.
    const kek = await this.#keks.byId(tx, organisationId, row.wrappingKeyId);
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
    // Cache names: `<org>:kek:<id>`, `<org>:data:<id>`, `<org>:<index or audit id>`.
    const purposeOf = (rest: string): string =>
      ({ kek: 'kek', data: 'organisation_data', [INDEX_KEY_ID]: 'index', [AUDIT_KEY_ID]: 'audit' })[
        rest.split(':')[0]!
      ] ?? 'unknown';
    const held = (names: string[]) => names.filter((name) => name.startsWith(prefix));
    return [
      ...held(this.cache.names()).map((name) => purposeOf(name.slice(prefix.length))),
      ...held(this.#personKeys.names()).map(() => 'person_data'),
    ].sort();
  }

  /** The organisations of which this instance holds keys in memory now. */
  organisationsHeld(): string[] {
    const names = [...this.cache.names(), ...this.#personKeys.names()];
    return [...new Set(names.map((name) => name.split(':')[0]!))];
  }

  onModuleDestroy(): void {
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
    const name =
      purpose === 'organisation_data'
        ? dataKeyName(organisationId, keyId)
        : `${organisationId}:${keyId}`;
    return this.cache.getOrLoad(name, () =>
      this.unwrapDataKey(tx, organisationId, keyId, purpose, 'cached'),
    );
  }

  /**
   * An organisation key, unwrapped by the KEK its row names: that KEK cached (callers have
   * checked the lockdown state), or opened for this one use and zeroed (`once`: in lockdown).
   */
  private async unwrapDataKey(
    tx: Tx,
    organisationId: string,
    keyId: number,
    purpose: 'organisation_data' | 'index' | 'audit',
    kekUse: 'cached' | 'once',
  ): Promise<SecretKey> {
    const row = await this.row(tx, organisationId, keyId);
    if (row.purpose !== purpose) throw new KeyError('unwrap_failed');
    if (kekUse === 'cached') {
      const kek = await this.#keks.byId(tx, organisationId, row.wrappingKeyId);
      return this.crypto.unwrapKey(kek, row.wrapped, { organisationId, purpose, keyId });
    }
    const kek = await this.#keks.once(tx, organisationId, row.wrappingKeyId);
    try {
      return this.crypto.unwrapKey(kek, row.wrapped, { organisationId, purpose, keyId });
    } finally {
      kek.destroy();
    }
  }

  /**
   * Runs `use` with the organisation data key: the cached one normally; in lockdown, one
   * unwrapped for this use only and zeroed afterwards (with its KEK).
   */
  private async withStaffSecretKey<T>(
    tx: Tx,
    organisationId: string,
    keyId: number | null,
    use: (key: SecretKey) => T,
  ): Promise<T> {
    if (await this.#state.unlocked(tx, organisationId)) {
      return use(
        keyId === null
          ? await this.organisationDataKey(tx, organisationId)
          : await this.organisationDataKeyById(tx, organisationId, keyId),
      );
    }
    const key = await this.unwrapDataKey(
      tx,
      organisationId,
      keyId ?? (await this.#state.lockdownDataKeyId(tx, organisationId)),
      'organisation_data',
      'once',
    );
    try {
      return use(key);
    } finally {
      key.destroy();
    }
  }

  private async row(
    tx: Tx,
    organisationId: string,
    keyId: number,
  ): Promise<{ purpose: string; wrappingKeyId: number; wrapped: Uint8Array }> {
    const row = await this.keys.find(tx, organisationId, keyId);
    if (row === null) throw new KeyError('unwrap_failed');
    // A retired key still opens: nothing live is sealed under it, but a transaction that read a
    // value just before the rotation rewrote it may open it just after the key was retired.
    if (row.wrapped === null || row.status === 'destroyed') throw new KeyError('unwrap_failed');
    return {
      purpose: row.purpose,
      wrappingKeyId: row.wrappingKeyId,
      wrapped: new Uint8Array(row.wrapped),
    };
  }
}
