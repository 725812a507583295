import { KeyError } from '@harbour/crypto';
import { LockdownActiveError } from '../../infra/auth/lockdown';
import type { Tx } from '../../infra/database/transaction';
import type {
  OrganisationKeysRepository,
  TransactionState,
} from '../../data/keys/organisation-keys.repository';

/** The keys current in a transaction: the data key new values are sealed under, the KEK new keys are wrapped by. */
interface CurrentKeys {
  readonly dataKeyId: number;
  readonly kekId: number;
  /** The organisation's blind-index width, read with them. */
  readonly indexBits: number;
}

/**
 * What the keyring reads once per transaction before serving a key: whether the organisation is
 * in lockdown (docs/security.md T25) and which data key is current. The read also takes the
 * data-key lock shared until the transaction ends (`DATA_KEY_LOCK_CLASS`), so a rotation cannot
 * retire the key this transaction may still seal under.
 */
export class TransactionKeyState {
  /** Per transaction: the organisations found out of lockdown, with their current keys. */
  readonly #unlocked = new WeakMap<Tx, Map<string, CurrentKeys>>();

  constructor(
    private readonly keys: OrganisationKeysRepository,
    /** Called whenever an organisation is found in lockdown (drops its cached keys). */
    private readonly onLocked: (organisationId: string) => void,
  ) {}

  /** Refuses with `lockdown_active` while the organisation is in lockdown. */
  async assertUnlocked(tx: Tx, organisationId: string): Promise<void> {
    if (!(await this.unlocked(tx, organisationId))) throw new LockdownActiveError();
  }

  /** Whether the organisation is out of lockdown, read once per transaction. */
  async unlocked(tx: Tx, organisationId: string): Promise<boolean> {
    if (this.#unlocked.get(tx)?.has(organisationId) === true) return true;
    const state = await this.read(tx, organisationId);
    if (state.lockdownAt !== null) {
      this.onLocked(organisationId);
      return false;
    }
    this.noteCurrent(tx, organisationId, {
      dataKeyId: state.currentDataKeyId,
      kekId: state.currentKekId,
      indexBits: state.indexBits,
    });
    return true;
  }

  /** The data key current in this transaction. Refused in lockdown. */
  async currentDataKeyId(tx: Tx, organisationId: string): Promise<number> {
    await this.assertUnlocked(tx, organisationId);
    return this.#unlocked.get(tx)!.get(organisationId)!.dataKeyId;
  }

  /** The KEK current in this transaction. Refused in lockdown. */
  async currentKekId(tx: Tx, organisationId: string): Promise<number> {
    await this.assertUnlocked(tx, organisationId);
    return this.#unlocked.get(tx)!.get(organisationId)!.kekId;
  }

  /** The organisation's blind-index width in this transaction. Refused in lockdown. */
  async indexBits(tx: Tx, organisationId: string): Promise<number> {
    await this.assertUnlocked(tx, organisationId);
    return this.#unlocked.get(tx)!.get(organisationId)!.indexBits;
  }

  /** The current KEK's id, read without the lockdown check (the audit key in lockdown). */
  async lockdownKekId(tx: Tx, organisationId: string): Promise<number> {
    return (await this.read(tx, organisationId)).currentKekId;
  }

  /** The current data key's id, read without the lockdown check (staff secrets in lockdown). */
  async lockdownDataKeyId(tx: Tx, organisationId: string): Promise<number> {
    return (await this.read(tx, organisationId)).currentDataKeyId;
  }

  /** Records the current keys of an organisation found out of lockdown in `tx`. */
  noteCurrent(tx: Tx, organisationId: string, change: Partial<CurrentKeys>): void {
    const checked = this.#unlocked.get(tx) ?? new Map<string, CurrentKeys>();
    const known = checked.get(organisationId);
    checked.set(organisationId, {
      dataKeyId: change.dataKeyId ?? known!.dataKeyId,
      kekId: change.kekId ?? known!.kekId,
      indexBits: change.indexBits ?? known!.indexBits,
    });
    this.#unlocked.set(tx, checked);
  }

  /** The organisation's lockdown state and current data key. Not visible: refused. */
  async read(tx: Tx, organisationId: string): Promise<TransactionState> {
    const state = await this.keys.transactionState(tx, organisationId);
    if (state === undefined) throw new KeyError('unwrap_failed');
    return state;
  }
}
