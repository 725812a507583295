import { Inject, Injectable } from '@nestjs/common';
import type { HarbourCrypto } from '@harbour/crypto';
import {
  ageBandOn,
  EARLIEST_CALENDAR_DAY,
  IDENTITY_FIELDS,
  latestCalendarDay,
  parseIsoDate,
  uuidv7,
  type AgeBand,
  type CreatePersonRequest,
  type ErasureReceipt,
  type GenderIdentity,
  type IdentityField,
  type LanguageGroup,
  type PersonView,
  type RegionOfOrigin,
  type UpdatePersonRequest,
} from '@harbour/domain';
import type { PersonEntity } from '../../data/persons/person.entity';
import { PersonsRepository, type PersonPatch } from '../../data/persons/persons.repository';
import { PersonErasuresRepository } from '../../data/persons/person-erasures.repository';
import { HARBOUR_CRYPTO } from '../../infra/crypto/crypto.module';
import type { Tx } from '../../infra/database/transaction';
import {
  NotFoundError,
  ValidationFailedError,
  VersionConflictError,
} from '../../infra/http/domain-error';
import { Clock } from '../../infra/time/clock';
import { KeyringService } from '../keyring/keyring.service';
import type { SignedInScope, TenantScope } from '../scope/request-scope';
import { ConsentRecords } from './consent-records';
import { cleanIdentity, FIELD_OF, heldFields, presentFields, type Identity } from './identity';
import { IdentityVault } from './identity-vault';
import { PersonAccess } from './person-access';
import { PersonErasedError, PersonMergedError } from './person.errors';
import { PersonIndexer } from './person-indexer';
import { HARBOUR_CONFIG } from '../../infra/config/config.module';
import type { HarbourConfig } from '../../infra/config/config';

/**
 * Writing a person's record (docs/design.md §3–§5, §9): the pseudonymous row and its categories,
 * the identity sealed under the person's own key, its blind indexes, consent to be counted,
 * and erasure. The people, intake and canary features all record people through here.
 */
@Injectable()
export class PersonRecords {
  constructor(
    private readonly persons: PersonsRepository,
    private readonly vault: IdentityVault,
    private readonly indexer: PersonIndexer,
    private readonly consents: ConsentRecords,
    private readonly keyring: KeyringService,
    private readonly clock: Clock,
    @Inject(HARBOUR_CRYPTO) private readonly crypto: HarbourCrypto,
    @Inject(HARBOUR_CONFIG) private readonly config: HarbourConfig,
    private readonly access: PersonAccess,
    private readonly erasures: PersonErasuresRepository,
  ) {}

  async create(scope: SignedInScope, request: CreatePersonRequest): Promise<PersonView> {
    const { tx, principal, organisationId } = scope;
    const id = uuidv7();
    const identity = cleanIdentity(request.identity ?? {});
    this.checkDateOfBirth(identity);
    const fields = presentFields(identity);
    const ageBand =
      request.ageBand ??
      (identity.dateOfBirth === undefined
        ? 'unknown'
        : ageBandOn(identity.dateOfBirth, this.clock.now().toISOString().slice(0, 10)));
    const code = await this.persons.insertWithFreeCode(tx, {
      organisationId,
      id,
      ageBand,
      regionOfOrigin: request.regionOfOrigin ?? 'unknown',
      languageGroup: request.languageGroup ?? null,
      genderIdentity: request.genderIdentity ?? null,
      consentToReporting: request.consentToReporting ?? false,
      hasIdentity: fields.length > 0,
      createdBy: principal.userId,
    });
    if (fields.length > 0) {
      const key = await this.keyring.createPersonKey(tx, organisationId, id);
      const sealed = this.vault.seal(key, organisationId, id, identity);
      await this.persons.saveIdentity(tx, organisationId, id, key.id, sealed);
      await this.indexer.write(tx, organisationId, id, identity);
    }
    // Agreeing to be counted, ticked when the person is recorded: verbal consent, kept as such.
    if (request.consentToReporting === true)
      await this.consents.setReporting(tx, principal, id, true);
    scope.note({ resourceIds: [id, code], fields });
    return this.view(tx, organisationId, id);
  }

  async update(
    scope: SignedInScope,
    id: string,
    request: UpdatePersonRequest,
  ): Promise<PersonView> {
    const { tx, principal, organisationId } = scope;
    const person = await this.lock(tx, organisationId, id);
    if (person.version !== request.version) throw new VersionConflictError();
    scope.note({ resourceIds: [person.code] });

    const patch: PersonPatch = {};
    if (request.ageBand !== undefined) patch.ageBand = request.ageBand;
    if (request.regionOfOrigin !== undefined) patch.regionOfOrigin = request.regionOfOrigin;
    if (request.languageGroup !== undefined) patch.languageGroup = request.languageGroup;
    if (request.genderIdentity !== undefined) patch.genderIdentity = request.genderIdentity;
    if (request.consentToReporting !== undefined) {
      patch.consentToReporting = request.consentToReporting;
      await this.consents.setReporting(tx, principal, id, request.consentToReporting);
    }

    if (request.identity !== undefined) {
      // Changing an identity handles it: a restricted person's is their key workers' alone.
      await this.access.assertMayReadProtected(scope, id);
      if (person.erasedAt !== null) throw new PersonErasedError();
      const current = await this.vault.read(tx, organisationId, id);
      const next: Identity = { ...current.identity };
      const changed: IdentityField[] = [];
      for (const field of IDENTITY_FIELDS) {
        const value = request.identity[field];
        if (value === undefined) continue;
        changed.push(field);
        if (value === null) delete next[field];
        else (next as Record<string, string>)[field] = value;
      }
      const cleaned = cleanIdentity(next);
      this.checkDateOfBirth(cleaned);
      const fields = presentFields(cleaned);
      await this.persons.deleteIndex(tx, organisationId, id);
      if (fields.length === 0) {
        await this.persons.deleteIdentity(tx, organisationId, id);
      } else {
        const key = current.key ?? (await this.keyring.personKeyFor(tx, organisationId, id));
        const sealed = this.vault.seal(key, organisationId, id, cleaned);
        await this.persons.saveIdentity(tx, organisationId, id, key.id, sealed);
        await this.indexer.write(tx, organisationId, id, cleaned);
      }
      patch.hasIdentity = fields.length > 0;
      scope.note({ fields: changed });
    }

    const now = this.clock.now();
    const written = await this.persons.update(tx, organisationId, id, patch, request.version, now);
    if (!written) throw new VersionConflictError();
    return this.view(tx, organisationId, id);
  }

  /**
   * Erasure at the person's request (docs/design.md §9): their keys lose their material (so their
   * identity and their contact notes can never be decrypted again, also from backups), the
   * identity and blind-index rows are deleted, and a receipt says what was done — field names
   * and counts, never a value. The pseudonymous record and its categories stay for statistics.
   */
  async erase(scope: SignedInScope, id: string, version: number): Promise<ErasureReceipt> {
    const { tx, organisationId } = scope;
    const person = await this.lock(tx, organisationId, id);
    scope.note({ resourceIds: [person.code] });
    if (person.version !== version) throw new VersionConflictError();
    if (person.erasedAt !== null) throw new PersonErasedError();
    // Their open follow-ups close, as cancelled by whoever erased them (their text is shredded
    // with the key), and the receipt counts them.
    const erasedAt = this.clock.now();
    const followUpsCancelled = await this.erasures.cancelOpenFollowUps(
      tx,
      organisationId,
      id,
      scope.principal.userId,
      erasedAt,
    );
    return await this.shred(scope, person, { erasedAt, followUpsCancelled });
  }

  /**
   * Erasure by the retention purge (`inactive_people`): the same shredding as an erasure at the
   * person's request, without a version (the purge decided on its own rule, in the same
   * transaction). A person already erased or merged is left as they are: null. So is a person
   * with an open follow-up (the purge's rule leaves them out, and one may have been opened since
   * the rule was read): someone means to follow them up, and the purge has nobody to close it.
   */
  async eraseForRetention(scope: TenantScope, id: string): Promise<ErasureReceipt | null> {
    const person = await this.persons.lock(scope.tx, scope.organisationId, id);
    if (person?.mergedInto !== null || person.erasedAt !== null) return null;
    if ((await this.erasures.openFollowUps(scope.tx, scope.organisationId, id)) > 0) return null;
    return this.shred(scope, person, { erasedAt: this.clock.now(), followUpsCancelled: 0 });
  }

  /** Destroys the person's keys and identity rows and marks them erased (see `erase`). */
  private async shred(
    scope: TenantScope,
    person: PersonEntity,
    { erasedAt, followUpsCancelled }: { erasedAt: Date; followUpsCancelled: number },
  ): Promise<ErasureReceipt> {
    const { tx, organisationId } = scope;
    const id = person.id;
    const identity = await this.persons.identity(tx, organisationId, id);
    const identityFields = heldFields(identity);
    if (identity !== null) await this.persons.deleteIdentity(tx, organisationId, id);
    const indexEntriesRemoved = await this.persons.deleteIndex(tx, organisationId, id);
    await this.moveOverrideReasonsToPersonKey(tx, organisationId, id);
    const keysDestroyed = await this.keyring.destroyPersonKeys(tx, organisationId, id);
    await this.persons.deleteRetryRecords(tx, organisationId, id);
    const notesShredded = await this.persons.countNotes(tx, organisationId, id);
    await this.persons.update(
      tx,
      organisationId,
      id,
      { hasIdentity: false, erasedAt },
      null,
      erasedAt,
    );
    scope.note({ fields: identityFields });
    // Keyring backups are kept for the backup window; the last one that held the key expires
    // at most that long after now (docs/operations.md "What erasure reaches, and when").
    const backupsClearAt = new Date(
      erasedAt.getTime() + this.config.keys.backupWindowDays * 86_400_000,
    );
    // Kept, so the receipt can be downloaded again (names and counts only, never a value).
    await this.erasures.insert(tx, {
      organisationId,
      id: uuidv7(),
      personId: id,
      identityFields: [...identityFields],
      indexEntriesRemoved,
      keysDestroyed,
      notesShredded,
      followUpsCancelled,
      erasedAt,
      backupsClearAt,
    });
    return {
      personId: id,
      code: person.code,
      erasedAt: erasedAt.toISOString(),
      identityFieldsRemoved: identityFields,
      indexEntriesRemoved,
      keysDestroyed,
      notesShredded,
      followUpsCancelled,
      backupsClearAt: backupsClearAt.toISOString(),
    };
  }

  /** The person as the API shows them: categories and which identity fields are held. */
  async view(tx: Tx, organisationId: string, id: string): Promise<PersonView> {
    // One round trip: the record, its identity's held fields and a merged record's survivor.
    const person = await this.persons.page(tx, organisationId, id);
    if (person === null) throw new NotFoundError();
    return {
      id: person.id,
      code: person.code,
      version: person.version,
      ageBand: person.age_band as AgeBand,
      regionOfOrigin: person.region_of_origin as RegionOfOrigin,
      languageGroup: person.language_group as LanguageGroup | null,
      genderIdentity: person.gender_identity as GenderIdentity | null,
      consentToReporting: person.consent_to_reporting,
      hasIdentity: person.has_identity,
      identityFields: person.held_columns.map((column) => FIELD_OF[column]),
      erasedAt: person.erased_at?.toISOString() ?? null,
      restricted: person.restricted,
      mergedInto:
        person.merged_into === null || person.survivor_code === null
          ? null
          : { id: person.merged_into, code: person.survivor_code },
      createdAt: person.created_at.toISOString(),
      updatedAt: person.updated_at.toISOString(),
    };
  }

  /**
   * The person locked for the rest of the transaction (404 in another organisation; 410
   * `person_merged` for a record merged into another, which can no longer change).
   */
  async lock(tx: Tx, organisationId: string, id: string): Promise<PersonEntity> {
    const person = await this.persons.lock(tx, organisationId, id);
    if (person === null) throw new NotFoundError();
    if (person.mergedInto !== null) throw new PersonMergedError();
    return person;
  }

  /** A date of birth is a real calendar day, not in the future (refused with the field named). */
  private checkDateOfBirth(identity: Identity): void {
    const dateOfBirth = identity.dateOfBirth;
    if (dateOfBirth === undefined) return;
    const limits = { earliest: EARLIEST_CALENDAR_DAY, latest: latestCalendarDay(this.clock.now()) };
    const path = 'identity.dateOfBirth';
    if (parseIsoDate(dateOfBirth) === null) {
      throw new ValidationFailedError([{ path, reason: 'isDate', limits }]);
    }
    if (dateOfBirth > limits.latest) {
      throw new ValidationFailedError([{ path, reason: 'notInFuture', limits }]);
    }
  }

  /**
   * Consent-override reasons of the person's referrals written under the organisation's key
   * (as they were before they moved to the person's key) are re-encrypted under the person's
   * key, so destroying it shreds them with everything else written about the person.
   */
  private async moveOverrideReasonsToPersonKey(
    tx: Tx,
    organisationId: string,
    personId: string,
  ): Promise<void> {
    const rows = await this.persons.lockOverrideReasons(tx, organisationId, personId);
    const dataKeyIds = await this.keyring.organisationDataKeyIds(tx, organisationId);
    const underOrganisationKey = rows.filter((r) =>
      dataKeyIds.has(this.crypto.keyIdOf(new Uint8Array(r.override_reason))),
    );
    if (underOrganisationKey.length === 0) return;
    const to = await this.keyring.personKeyFor(tx, organisationId, personId);
    for (const row of underOrganisationKey) {
      const place = { organisationId, table: 'referral', column: 'override_reason', rowId: row.id };
      const from = await this.keyring.organisationDataKeyById(
        tx,
        organisationId,
        this.crypto.keyIdOf(new Uint8Array(row.override_reason)),
      );
      const moved = this.crypto.reencryptField(
        from,
        to,
        place,
        new Uint8Array(row.override_reason),
      );
      await this.persons.setOverrideReason(tx, organisationId, row.id, Buffer.from(moved));
    }
  }
}
