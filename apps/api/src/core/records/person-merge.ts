import { Inject, Injectable } from '@nestjs/common';
import type { HarbourCrypto, SecretKey } from '@harbour/crypto';
import {
  IDENTITY_FIELDS,
  MERGE_CATEGORY_FIELDS,
  uuidv7,
  type IdentityField,
  type MergePersonsRequest,
  type MergeReceipt,
  type MergeSide,
} from '@harbour/domain';
import {
  PERSON_REFERENCES,
  PersonMergeRepository,
} from '../../data/persons/person-merge.repository';
import type { PersonEntity } from '../../data/persons/person.entity';
import { PersonsRepository, type PersonPatch } from '../../data/persons/persons.repository';
import { HARBOUR_CRYPTO } from '../../infra/crypto/crypto.module';
import type { Tx } from '../../infra/database/transaction';
import { NotFoundError, VersionConflictError } from '../../infra/http/domain-error';
import { Clock } from '../../infra/time/clock';
import { KeyringService } from '../keyring/keyring.service';
import type { SignedInScope } from '../scope/request-scope';
import { ConsentRecords } from './consent-records';
import { cleanIdentity, presentFields, type Identity } from './identity';
import { IdentityVault } from './identity-vault';
import { MergeErasedError, MergeSamePersonError, PersonMergedError } from './person.errors';
import { PersonIndexer } from './person-indexer';
import { PersonAccess } from './person-access';
import { KeyWorkersRepository } from '../../data/key-workers/key-workers.repository';
import { PersonRecords } from './person-records';

/**
 * Merging two records of the same person (issue 17, duplicates), in the request's one
 * transaction: every row that references the absorbed person moves to the survivor (the list
 * is `PERSON_REFERENCES`), every value sealed under the absorbed person's key is re-encrypted
 * under the survivor's first, the identity chosen field by field is sealed under the survivor's
 * key with fresh blind-index rows, the absorbed identity and index rows are deleted, the
 * absorbed record points at the survivor, and — last, once nothing can still need it — the
 * absorbed person's key is destroyed as at erasure. A failure anywhere before that rolls
 * everything back and leaves both records as they were.
 */
@Injectable()
export class PersonMerges {
  constructor(
    private readonly persons: PersonsRepository,
    private readonly merges: PersonMergeRepository,
    private readonly records: PersonRecords,
    private readonly vault: IdentityVault,
    private readonly indexer: PersonIndexer,
    private readonly consents: ConsentRecords,
    private readonly keyring: KeyringService,
    private readonly clock: Clock,
    @Inject(HARBOUR_CRYPTO) private readonly crypto: HarbourCrypto,
    private readonly access: PersonAccess,
    private readonly keyWorkers: KeyWorkersRepository,
  ) {}

  async merge(
    scope: SignedInScope,
    survivorId: string,
    request: MergePersonsRequest,
  ): Promise<MergeReceipt> {
    const { tx, organisationId, principal } = scope;
    if (survivorId === request.absorbedId) throw new MergeSamePersonError();
    // Both rows locked, in id order, so two merges of the same pair cannot deadlock.
    const [first, second] = [survivorId, request.absorbedId].sort();
    const locked = new Map<string, PersonEntity | null>();
    for (const id of [first!, second!])
      locked.set(id, await this.persons.lock(tx, organisationId, id));
    const survivor = locked.get(survivorId) ?? null;
    const absorbed = locked.get(request.absorbedId) ?? null;
    if (survivor === null || absorbed === null) throw new NotFoundError();
    scope.note({ resourceIds: [survivor.code, absorbed.code] });
    if (survivor.mergedInto !== null || absorbed.mergedInto !== null) throw new PersonMergedError();
    if (survivor.erasedAt !== null || absorbed.erasedAt !== null) throw new MergeErasedError();
    // Both identities are decrypted: a restricted one only by its key workers and coordinators.
    await this.access.assertMayReadProtected(scope, survivorId);
    await this.access.assertMayReadProtected(scope, absorbed.id);
    if (
      survivor.version !== request.survivorVersion ||
      absorbed.version !== request.absorbedVersion
    )
      throw new VersionConflictError();

    const pair = { organisationId, survivorId, absorbedId: absorbed.id };
    const kept = await this.vault.read(tx, organisationId, survivorId);
    const gone = await this.vault.read(tx, organisationId, absorbed.id);
    const identity = chooseIdentity(kept.identity, gone.identity, request.identity ?? {});
    const fromAbsorbed = IDENTITY_FIELDS.filter(
      (f) =>
        identity[f] !== undefined &&
        identity[f] === gone.identity[f] &&
        identity[f] !== kept.identity[f],
    );

    // The survivor's key seals everything that moves (made now if they had none).
    const to = await this.keyring.personKeyFor(tx, organisationId, survivorId);
    const absorbedKeys = await this.merges.personKeyIds(tx, organisationId, absorbed.id);
    const now = this.clock.now();
    await this.merges.closeClashingConsents(tx, pair, now, principal.userId);
    const moved: Record<string, number> = {};
    let reencrypted = 0;
    for (const reference of PERSON_REFERENCES) {
      const resealed: { id: string; old: Buffer; value: Buffer }[] = [];
      for (const row of await this.merges.lockSealed(tx, reference, organisationId, absorbed.id)) {
        const old = new Uint8Array(row.sealed);
        const keyId = this.crypto.keyIdOf(old);
        if (!absorbedKeys.has(keyId)) continue; // under the organisation's key: stays as it is
        const from = await this.keyring.personKey(tx, organisationId, keyId, absorbed.id);
        const place = {
          organisationId,
          table: reference.table,
          column: reference.sealed!,
          rowId: row.id,
        };
        resealed.push({
          id: row.id,
          old: row.sealed,
          value: Buffer.from(this.crypto.reencryptField(from, to, place, old)),
        });
      }
      moved[reference.table] =
        (moved[reference.table] ?? 0) + (await this.merges.move(tx, reference, pair, resealed));
      reencrypted += resealed.length;
    }

    // The absorbed identity and index rows go; the chosen identity is the survivor's.
    await this.persons.deleteIdentity(tx, organisationId, absorbed.id);
    await this.persons.deleteIndex(tx, organisationId, absorbed.id);
    await this.persons.deleteRetryRecords(tx, organisationId, absorbed.id);
    await this.writeIdentity(tx, organisationId, survivorId, to, identity);

    const patch: PersonPatch = { hasIdentity: presentFields(identity).length > 0 };
    const categories = request.categories ?? {};
    for (const field of MERGE_CATEGORY_FIELDS) {
      if (categories[field] !== 'absorbed') continue;
      (patch as Record<string, unknown>)[field] = absorbed[field];
    }
    const agreed =
      categories.consentToReporting === 'absorbed'
        ? absorbed.consentToReporting
        : survivor.consentToReporting;
    // The consent record follows the choice (the one in force may have come from either side).
    await this.consents.setReporting(tx, principal, survivorId, agreed);
    patch.consentToReporting = agreed;
    if (!(await this.persons.update(tx, organisationId, survivorId, patch, survivor.version, now)))
      throw new VersionConflictError();
    // Restricted if either record was: the merged person is no more exposed than each was.
    if (absorbed.restricted && !survivor.restricted) {
      const changed = await this.keyWorkers.setRestricted(tx, {
        organisationId,
        personId: survivorId,
        restricted: true,
        version: survivor.version + 1,
        by: principal.userId,
        at: now,
      });
      if (!changed) throw new VersionConflictError();
    }

    const rowsMoved = Object.values(moved).reduce((a, b) => a + b, 0);
    await this.merges.insertMerge(tx, {
      organisationId,
      id: uuidv7(),
      survivorId,
      absorbedId: absorbed.id,
      absorbedCode: absorbed.code,
      rowsMoved,
      valuesReencrypted: reencrypted,
      mergedBy: principal.userId,
      mergedAt: now,
    });
    if (!(await this.merges.markMerged(tx, pair, now))) throw new VersionConflictError();
    // Last: nothing is sealed under the absorbed person's keys any more.
    const keysDestroyed = await this.keyring.destroyPersonKeys(tx, organisationId, absorbed.id);
    scope.note({ fields: presentFields(identity) });
    return {
      survivor: await this.records.view(tx, organisationId, survivorId),
      absorbedId: absorbed.id,
      absorbedCode: absorbed.code,
      mergedAt: now.toISOString(),
      moved,
      reencrypted,
      keysDestroyed,
      identityFields: fromAbsorbed,
    };
  }

  private async writeIdentity(
    tx: Tx,
    organisationId: string,
    personId: string,
    key: SecretKey,
    identity: Identity,
  ): Promise<void> {
    await this.persons.deleteIndex(tx, organisationId, personId);
    if (presentFields(identity).length === 0) {
      await this.persons.deleteIdentity(tx, organisationId, personId);
      return;
    }
    const sealed = this.vault.seal(key, organisationId, personId, identity);
    await this.persons.saveIdentity(tx, organisationId, personId, key.id, sealed);
    await this.indexer.write(tx, organisationId, personId, identity);
  }
}

/**
 * The merged identity: each field from the side named; a field not named keeps the survivor's
 * value, or the absorbed one's when the survivor has none.
 */
export function chooseIdentity(
  survivor: Identity,
  absorbed: Identity,
  choice: Readonly<Partial<Record<IdentityField, MergeSide>>>,
): Identity {
  const out: Record<string, string> = {};
  for (const field of IDENTITY_FIELDS) {
    const side = choice[field];
    const value =
      side === 'absorbed'
        ? absorbed[field]
        : side === 'survivor'
          ? survivor[field]
          : (survivor[field] ?? absorbed[field]);
    if (value !== undefined) out[field] = value;
  }
  return cleanIdentity(out);
}
