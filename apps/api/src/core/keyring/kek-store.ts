import {
  KeyError,
  type HarbourCrypto,
  type KeyCache,
  type KeyProvider,
  type SecretKey,
  type WrappedKeyPurpose,
} from '@harbour/crypto';
import type { Tx } from '../../infra/database/transaction';
import type { OrganisationKeysRepository } from '../../data/keys/organisation-keys.repository';
import { LOCAL_MASTER_KEY_ID_IN_ROWS, kekName } from './key-ids';
import type { TransactionKeyState } from './transaction-key-state';

/**
 * An organisation's key-encryption keys (KEKs), each wrapped by the key provider's master key:
 * the current one wraps new keys; during a KEK rotation the previous one still opens the keys it
 * wrapped until they are re-wrapped. Unwrapped KEKs are cached like other organisation keys,
 * except when one is opened for a single use in lockdown (`once`).
 */
export class KekStore {
  constructor(
    private readonly crypto: HarbourCrypto,
    private readonly provider: KeyProvider,
    private readonly cache: KeyCache,
    private readonly keys: OrganisationKeysRepository,
    private readonly state: TransactionKeyState,
  ) {}

  /** The current KEK, cached. Refused in lockdown. */
  async current(tx: Tx, organisationId: string): Promise<SecretKey> {
    return this.byId(tx, organisationId, await this.state.currentKekId(tx, organisationId));
  }

  /** KEK `kekId` of the organisation (current or being replaced), cached. Refused in lockdown. */
  async byId(tx: Tx, organisationId: string, kekId: number): Promise<SecretKey> {
    await this.state.assertUnlocked(tx, organisationId);
    return this.cache.getOrLoad(kekName(organisationId, kekId), () =>
      this.once(tx, organisationId, kekId),
    );
  }

  /**
   * KEK `kekId` unwrapped for one use and never cached: the caller destroys it. Works in
   * lockdown (the audit key, staff sign-in secrets). Anything but a KEK row with material is
   * refused.
   */
  async once(tx: Tx, organisationId: string, kekId: number): Promise<SecretKey> {
    const row = await this.keys.find(tx, organisationId, kekId);
    // Retired KEKs still open (a key row read just before its re-wrap), destroyed ones do not.
    if (row?.purpose !== 'kek' || row.wrapped === null || row.status === 'destroyed') {
      throw new KeyError('unwrap_failed');
    }
    const binding = { organisationId, purpose: 'kek', keyId: kekId } as const;
    return this.provider.unwrapKek(new Uint8Array(row.wrapped), binding, row.wrappedBy);
  }

  /** The current KEK unwrapped for one use (in lockdown too): the caller destroys it. */
  async currentOnce(tx: Tx, organisationId: string): Promise<SecretKey> {
    return this.once(tx, organisationId, await this.state.lockdownKekId(tx, organisationId));
  }

  /**
   * A new KEK (its id from the keyring's sequence), wrapped by the key provider and stored as
   * active; its material is zeroed. Returns its id.
   */
  async create(tx: Tx, organisationId: string): Promise<number> {
    const [keyId] = await this.keys.nextPersonKeyIds(tx, 1);
    const kek = this.crypto.generateKey(keyId!);
    try {
      const binding = { organisationId, purpose: 'kek', keyId: keyId! } as const;
      await this.keys.insert(tx, {
        organisationId,
        keyId: keyId!,
        purpose: 'kek',
        subjectId: null,
        status: 'active',
        wrapped: Buffer.from(await this.provider.wrapKek(kek, binding)),
        wrappingKeyId: LOCAL_MASTER_KEY_ID_IN_ROWS,
        wrappedBy: this.provider.id,
      });
    } finally {
      kek.destroy();
    }
    return keyId!;
  }

  /** The id of the KEK current in this transaction. Refused in lockdown. */
  currentId(tx: Tx, organisationId: string): Promise<number> {
    return this.state.currentKekId(tx, organisationId);
  }

  /** After a KEK switch in `tx`: the rest of the transaction wraps under `kekId`. */
  noteCurrent(tx: Tx, organisationId: string, kekId: number): void {
    this.state.noteCurrent(tx, organisationId, { kekId });
  }

  /** Drops this instance's copy of a KEK (retired or destroyed). */
  forget(organisationId: string, kekId: number): void {
    this.cache.delete(kekName(organisationId, kekId));
  }

  /**
   * Re-wraps keyring rows under the current KEK (a KEK rotation): each key is unwrapped by the
   * KEK its row names and wrapped again, bound to the same purpose, id and subject. Returns the
   * new material per key, and the KEK's id. Keys are zeroed at once; KEK rows are refused.
   */
  async rewrap(
    tx: Tx,
    organisationId: string,
    rows: readonly RewrapRow[],
  ): Promise<{ kekId: number; moves: { keyId: number; old: Buffer; wrapped: Buffer }[] }> {
    const to = await this.current(tx, organisationId);
    const moves: { keyId: number; old: Buffer; wrapped: Buffer }[] = [];
    for (const row of rows) {
      if (row.purpose === 'kek') throw new KeyError('unwrap_failed');
      const from = await this.byId(tx, organisationId, row.wrappingKeyId);
      const binding = {
        organisationId,
        purpose: row.purpose as WrappedKeyPurpose,
        keyId: row.keyId,
        ...(row.subjectId === null ? {} : { subjectId: row.subjectId }),
      };
      const key = this.crypto.unwrapKey(from, new Uint8Array(row.wrapped), binding);
      try {
        const wrapped = Buffer.from(this.crypto.wrapKey(to, key, binding));
        moves.push({ keyId: row.keyId, old: row.wrapped, wrapped });
      } finally {
        key.destroy();
      }
    }
    return { kekId: to.id, moves };
  }
}

/** A keyring row to re-wrap: which key, what it is for, and the KEK that wraps it now. */
export interface RewrapRow {
  readonly keyId: number;
  readonly purpose: string;
  readonly subjectId: string | null;
  readonly wrapped: Buffer;
  readonly wrappingKeyId: number;
}
