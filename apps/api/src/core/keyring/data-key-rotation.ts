import { Injectable } from '@nestjs/common';
import { KeyError } from '@harbour/crypto';
import type { Tx } from '../../infra/database/transaction';
import { OrganisationKeysRepository } from '../../data/keys/organisation-keys.repository';
import { KEK_ID } from './key-ids';
import { KeyringService } from './keyring.service';

/** How a retirement attempt ended. */
export type RetireOutcome =
  | { readonly outcome: 'busy' }
  | { readonly outcome: 'in_use'; readonly fields: number }
  | { readonly outcome: 'retired' };

/**
 * The lifecycle of an organisation data key (docs/design.md §5): a new key becomes current and
 * the old one decrypt-only; once no value is left under the old key it is retired; after the
 * backup window its material is destroyed. The re-encryption in between is the rotation job's.
 */
@Injectable()
export class DataKeyRotation {
  constructor(
    private readonly keyring: KeyringService,
    private readonly keys: OrganisationKeysRepository,
  ) {}

  /**
   * A new data key (its id from the keyring's sequence, wrapped by the KEK) becomes current; the
   * current one becomes decrypt-only. Refused in lockdown. Returns both ids, or null when a
   * rotation is already under way (a decrypt-only data key exists).
   */
  async rotate(
    tx: Tx,
    organisationId: string,
  ): Promise<{ fromKeyId: number; toKeyId: number } | null> {
    const fromKeyId = await this.keyring.currentDataKeyId(tx, organisationId);
    if ((await this.keys.organisationDataKeyIds(tx, organisationId)).length > 1) return null;
    const [toKeyId] = await this.keys.nextPersonKeyIds(tx, 1);
    await this.keys.insert(tx, {
      organisationId,
      keyId: toKeyId!,
      purpose: 'organisation_data',
      subjectId: null,
      status: 'active',
      wrapped: await this.keyring.wrapNewDataKey(tx, organisationId, toKeyId!),
      wrappingKeyId: KEK_ID,
      wrappedBy: 'kek',
    });
    if (!(await this.keys.switchDataKey(tx, organisationId, fromKeyId, toKeyId!))) return null;
    this.keyring.noteCurrentDataKey(tx, organisationId, toKeyId!);
    return { fromKeyId, toKeyId: toKeyId! };
  }

  /**
   * Retires the rotated-out data key `keyId` if `countUnder` finds no value sealed under it.
   * Counts while holding the data-key lock exclusively, so no transaction that still takes the
   * old key for the current one can be writing (each holds the lock shared from its first key
   * to its end); when one holds it, answers `busy` at once rather than queue requests behind.
   */
  async retireIfUnused(
    tx: Tx,
    organisationId: string,
    keyId: number,
    countUnder: () => Promise<number>,
    times: { now: Date; destroyAfter: Date },
  ): Promise<RetireOutcome> {
    if (!(await this.keys.tryRetireLock(tx, organisationId))) return { outcome: 'busy' };
    const fields = await countUnder();
    if (fields > 0) return { outcome: 'in_use', fields };
    const { now, destroyAfter } = times;
    if (!(await this.keys.retireDataKey(tx, organisationId, keyId, now, destroyAfter))) {
      throw new KeyError('unwrap_failed');
    }
    tx.afterCommit(() => this.keyring.forgetDataKey(organisationId, keyId));
    return { outcome: 'retired' };
  }

  /** Organisations with retired keys whose backup window is over (ids only). */
  retiredKeysDue(tx: Tx, now: Date): Promise<string[]> {
    return this.keys.retiredKeysDue(tx, now);
  }

  /** Destroys the material of retired keys whose backup window is over; their ids. */
  async destroyRetired(tx: Tx, organisationId: string, now: Date): Promise<number[]> {
    const destroyed = await this.keys.destroyRetiredKeys(tx, organisationId, now);
    for (const keyId of destroyed) this.keyring.forgetDataKey(organisationId, keyId);
    return destroyed;
  }
}
