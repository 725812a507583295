import { Injectable } from '@nestjs/common';
import { KeyError } from '@harbour/crypto';
import type { Tx } from '../../infra/database/transaction';
import { OrganisationKeysRepository } from '../../data/keys/organisation-keys.repository';
import { KeyringService } from './keyring.service';

/** How a retirement attempt ended. */
export type RetireOutcome =
  | { readonly outcome: 'busy' }
  | { readonly outcome: 'in_use'; readonly fields: number }
  | { readonly outcome: 'retired' };

/**
 * The lifecycle of an organisation data key and of its KEK (docs/design.md §5): a new key
 * becomes current and the old one decrypt-only; once nothing is left under the old key (no
 * value, for a data key; no wrapped key, for a KEK) it is retired; after the backup window its
 * material is destroyed. The re-encryption or re-wrapping in between is the rotation job's.
 */
@Injectable()
export class KeyLifecycle {
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
    const { wrapped, wrappingKeyId } = await this.keyring.wrapNewDataKey(
      tx,
      organisationId,
      toKeyId!,
    );
    await this.keys.insert(tx, {
      organisationId,
      keyId: toKeyId!,
      purpose: 'organisation_data',
      subjectId: null,
      status: 'active',
      wrapped,
      wrappingKeyId,
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
    const key = { keyId, purpose: 'organisation_data' } as const;
    if (!(await this.keys.retireKey(tx, organisationId, key, now, destroyAfter))) {
      throw new KeyError('unwrap_failed');
    }
    tx.afterCommit(() => this.keyring.forgetDataKey(organisationId, keyId));
    return { outcome: 'retired' };
  }

  /**
   * A new KEK becomes current (new keys are wrapped by it at once); the current one becomes
   * decrypt-only. Refused in lockdown. Both ids, or null when a KEK rotation is under way.
   */
  async rotateKek(
    tx: Tx,
    organisationId: string,
  ): Promise<{ fromKeyId: number; toKeyId: number } | null> {
    const fromKeyId = await this.keyring.keks.currentId(tx, organisationId);
    const keks = await this.keys.keks(tx, organisationId);
    if (keks.some((k) => k.status === 'decrypt_only')) return null;
    const toKeyId = await this.keyring.keks.create(tx, organisationId);
    if (!(await this.keys.switchKek(tx, organisationId, fromKeyId, toKeyId))) return null;
    this.keyring.keks.noteCurrent(tx, organisationId, toKeyId);
    return { fromKeyId, toKeyId };
  }

  /**
   * Retires the replaced KEK `kekId` if it wraps no key any more, under the same exclusive lock
   * as a data key's retirement (a transaction that wraps a new key holds it shared).
   */
  async retireKekIfUnused(
    tx: Tx,
    organisationId: string,
    kekId: number,
    times: { now: Date; destroyAfter: Date },
  ): Promise<RetireOutcome> {
    if (!(await this.keys.tryRetireLock(tx, organisationId))) return { outcome: 'busy' };
    const fields = await this.keys.countWrappedBy(organisationId, kekId);
    if (fields > 0) return { outcome: 'in_use', fields };
    const key = { keyId: kekId, purpose: 'kek' } as const;
    if (!(await this.keys.retireKey(tx, organisationId, key, times.now, times.destroyAfter))) {
      throw new KeyError('unwrap_failed');
    }
    tx.afterCommit(() => this.keyring.keks.forget(organisationId, kekId));
    return { outcome: 'retired' };
  }

  /**
   * Re-wraps up to `limit` keys that KEK `fromKekId` wraps (ids after `after`) under the current
   * KEK, which must be `toKekId`; writes each only if its material is unchanged (two workers on
   * one batch: the second writes nothing). Returns the last key id seen (null: none left in this pass) and how
   * many moved.
   */
  async rewrapBatch(
    tx: Tx,
    organisationId: string,
    kekIds: { fromKeyId: number; toKeyId: number },
    after: number,
    limit: number,
  ): Promise<{ last: number | null; moved: number }> {
    const rows = await this.keys.keysWrappedBy(organisationId, kekIds.fromKeyId, after, limit);
    if (rows.length === 0) return { last: null, moved: 0 };
    const { kekId, moves } = await this.keyring.keks.rewrap(
      tx,
      organisationId,
      rows.map((r) => ({
        keyId: r.keyId,
        purpose: r.purpose,
        subjectId: r.subjectId,
        wrapped: r.wrapped,
        wrappingKeyId: kekIds.fromKeyId,
      })),
    );
    if (kekId !== kekIds.toKeyId) throw new KeyError('unwrap_failed');
    const moved = await this.keys.rewrapKeys(organisationId, kekId, moves);
    return { last: rows[rows.length - 1]!.keyId, moved };
  }

  /** How many keys KEK `kekId` still wraps. */
  countWrappedBy(organisationId: string, kekId: number): Promise<number> {
    return this.keys.countWrappedBy(organisationId, kekId);
  }

  /** Organisations with retired keys whose backup window is over (ids only). */
  retiredKeysDue(tx: Tx, now: Date): Promise<string[]> {
    return this.keys.retiredKeysDue(tx, now);
  }

  /** Destroys the material of retired keys whose backup window is over; their ids. */
  async destroyRetired(tx: Tx, organisationId: string, now: Date): Promise<number[]> {
    const destroyed = await this.keys.destroyRetiredKeys(tx, organisationId, now);
    for (const keyId of destroyed) {
      this.keyring.forgetDataKey(organisationId, keyId);
      this.keyring.keks.forget(organisationId, keyId);
    }
    return destroyed;
  }
}
