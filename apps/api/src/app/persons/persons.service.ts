import { Inject, Injectable } from '@nestjs/common';
import {
  DecryptionError,
  KeyError,
  latinFoldedVariant,
  normaliseName,
  normaliseValue,
  NORMALISATION_VERSION,
  Slk581InputError,
  type HarbourCrypto,
  type SecretKey,
} from '@harbour/crypto';
import {
  ageBandOn,
  latestCalendarDay,
  parseIsoDate,
  generatePersonCode,
  IDENTITY_FIELDS,
  MAX_LOOKUP_CANDIDATES,
  parsePersonCode,
  uuidv7,
  type AgeBand,
  type CreatePersonRequest,
  type ErasureReceipt,
  type GenderIdentity,
  type IdentityField,
  type LanguageGroup,
  type LookupCandidate,
  type LookupMatch,
  type LookupRequest,
  type PersonIdentityInput,
  type PersonView,
  type RegionOfOrigin,
  type RevealRequest,
  type RevealResponse,
  type SlkSex,
  type UpdatePersonRequest,
} from '@harbour/domain';
import { noteAudit } from '../../infra/audit/audit-notes';
import type { Principal } from '../../infra/auth/principal';
import { HARBOUR_CRYPTO } from '../../infra/crypto/crypto.module';
import { Db, type Tx } from '../../infra/database/transaction';
import {
  NotFoundError,
  ValidationFailedError,
  VersionConflictError,
} from '../../infra/http/domain-error';
import { currentCorrelationId } from '../../infra/logging/request-context';
import { Clock } from '../../infra/time/clock';
import { ConsentsService } from '../consents/consents.service';
import {
  KeyringService,
  ORGANISATION_DATA_KEY_ID,
  type PersonKeyRow,
} from '../../core/keyring/keyring.service';
import {
  IDENTITY_COLUMNS,
  PersonIdentityEntity,
  type IdentityColumn,
} from '../../data/persons/person-identity.entity';
import { PersonIndexEntity, type PersonIndexKind } from '../../data/persons/person-index.entity';
import { PersonEntity } from '../../data/persons/person.entity';
import { IdentityIntegrityError, PersonErasedError } from './persons.errors';
import { RevealDetailEntity } from '../../data/persons/reveal-detail.entity';

/** Identity field ↔ encrypted column. */
const COLUMN_OF: Readonly<Record<IdentityField, IdentityColumn>> = {
  givenName: 'given_name',
  familyName: 'family_name',
  alias: 'alias',
  dateOfBirth: 'date_of_birth',
  sex: 'sex',
  phone: 'phone',
};
const FIELD_OF = Object.fromEntries(
  Object.entries(COLUMN_OF).map(([field, column]) => [column, field]),
) as Readonly<Record<IdentityColumn, IdentityField>>;
const PROPERTY_OF: Readonly<Record<IdentityColumn, keyof CandidateColumns>> = {
  given_name: 'givenName',
  family_name: 'familyName',
  alias: 'alias',
  date_of_birth: 'dateOfBirth',
  sex: 'sex',
  phone: 'phone',
};

/** Blind-index names (each gets its own subkey of the organisation's index key). */
const INDEX_NAME: Readonly<Record<Exclude<PersonIndexKind, 'name_unpaired'>, string>> = {
  name: 'person.name',
  name_pair: 'person.name_pair',
  alias: 'person.alias',
  slk: 'person.slk581',
  phone: 'person.phone',
};

/** Blind-index values are computed at full width; SQL truncates them (blind-index.ts). */
const FULL_BITS = 32;

type Identity = { -readonly [K in keyof PersonIdentityInput]?: PersonIdentityInput[K] };

/**
 * People (DESIGN.md §3–§5): pseudonymous codes and categories in `person`, identity encrypted
 * under each person's own key in `person_identity`, blind indexes in `person_index`. Reads
 * never return identity; `reveal` does, with a purpose in the access log; `lookup` narrows
 * candidates through the indexes and confirms each by decryption.
 */
@Injectable()
export class PersonsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly keyring: KeyringService,
    private readonly consents: ConsentsService,
    @Inject(HARBOUR_CRYPTO) private readonly crypto: HarbourCrypto,
  ) {}

  async create(principal: Principal, request: CreatePersonRequest): Promise<PersonView> {
    const tx = this.db.current();
    const organisationId = principal.organisationId;
    const id = uuidv7();
    const identity = cleanIdentity(request.identity ?? {});
    this.checkDateOfBirth(identity);
    const fields = presentFields(identity);
    const ageBand =
      request.ageBand ??
      (identity.dateOfBirth === undefined
        ? 'unknown'
        : ageBandOn(identity.dateOfBirth, this.clock.now().toISOString().slice(0, 10)));
    const code = await this.insertWithFreeCode(tx, {
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
      await tx.manager.getRepository(PersonIdentityEntity).insert({
        organisationId,
        personId: id,
        keyId: key.id,
        ...this.seal(key, organisationId, id, identity),
      });
      await this.index(tx, organisationId, id, identity);
    }
    // Agreeing to be counted, ticked when the person is recorded: verbal consent, kept as such.
    if (request.consentToReporting === true)
      await this.consents.setReporting(tx, principal, id, true);
    noteAudit({ resourceIds: [id, code], fields });
    return this.view(tx, organisationId, id);
  }

  async get(organisationId: string, id: string): Promise<PersonView> {
    const tx = this.db.current();
    const view = await this.view(tx, organisationId, id);
    noteAudit({ resourceIds: [view.code] });
    return view;
  }

  async update(
    principal: Principal,
    id: string,
    request: UpdatePersonRequest,
  ): Promise<PersonView> {
    const tx = this.db.current();
    const organisationId = principal.organisationId;
    const person = await this.lockPerson(tx, organisationId, id);
    if (person.version !== request.version) throw new VersionConflictError();
    noteAudit({ resourceIds: [person.code] });

    const patch: Partial<PersonEntity> = {};
    if (request.ageBand !== undefined) patch.ageBand = request.ageBand;
    if (request.regionOfOrigin !== undefined) patch.regionOfOrigin = request.regionOfOrigin;
    if (request.languageGroup !== undefined) patch.languageGroup = request.languageGroup;
    if (request.genderIdentity !== undefined) patch.genderIdentity = request.genderIdentity;
    if (request.consentToReporting !== undefined) {
      patch.consentToReporting = request.consentToReporting;
      await this.consents.setReporting(tx, principal, id, request.consentToReporting);
    }

    if (request.identity !== undefined) {
      if (person.erasedAt !== null) throw new PersonErasedError();
      const current = await this.readIdentity(tx, organisationId, id);
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
      const identityRepo = tx.manager.getRepository(PersonIdentityEntity);
      await tx.manager.getRepository(PersonIndexEntity).delete({ organisationId, personId: id });
      if (fields.length === 0) {
        await identityRepo.delete({ organisationId, personId: id });
      } else {
        const key = current.key ?? (await this.keyring.personKeyFor(tx, organisationId, id));
        const sealed = this.seal(key, organisationId, id, cleaned);
        await identityRepo.upsert({ organisationId, personId: id, keyId: key.id, ...sealed }, [
          'organisationId',
          'personId',
        ]);
        await this.index(tx, organisationId, id, cleaned);
      }
      patch.hasIdentity = fields.length > 0;
      noteAudit({ fields: changed });
    }

    const result = await tx.manager
      .createQueryBuilder()
      .update(PersonEntity)
      .set({ ...patch, version: () => 'version + 1', updatedAt: this.clock.now() })
      .where('organisation_id = :organisationId AND id = :id AND version = :version', {
        organisationId,
        id,
        version: request.version,
      })
      .execute();
    if (result.affected !== 1) throw new VersionConflictError();
    return this.view(tx, organisationId, id);
  }

  /**
   * Erasure at the person's request (DESIGN.md §9): their keys lose their material (so their
   * identity and their contact notes can never be decrypted again, also from backups), the
   * identity and blind-index rows are deleted, and a receipt says what was done — field names
   * and counts, never a value. The pseudonymous record and its categories stay for statistics.
   */
  async erase(principal: Principal, id: string, version: number): Promise<ErasureReceipt> {
    const tx = this.db.current();
    const organisationId = principal.organisationId;
    const person = await this.lockPerson(tx, organisationId, id);
    noteAudit({ resourceIds: [person.code] });
    if (person.version !== version) throw new VersionConflictError();
    if (person.erasedAt !== null) throw new PersonErasedError();

    const identity = await tx.manager
      .getRepository(PersonIdentityEntity)
      .findOneBy({ organisationId, personId: id });
    const identityFields = heldFields(identity);
    if (identity !== null)
      await tx.manager.getRepository(PersonIdentityEntity).delete({ organisationId, personId: id });
    const index = await tx.manager
      .getRepository(PersonIndexEntity)
      .delete({ organisationId, personId: id });
    await this.moveOverrideReasonsToPersonKey(tx, organisationId, id);
    const keysDestroyed = await this.keyring.destroyPersonKeys(tx, organisationId, id);
    // Retry state that names the person (their answers are under the organisation's key).
    await tx.manager.query(
      `DELETE FROM idempotency_key WHERE organisation_id = $1 AND $2::uuid = ANY (person_ids)`,
      [organisationId, id],
    );
    const [notes] = await tx.manager.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM contact
        WHERE organisation_id = $1 AND person_id = $2 AND notes IS NOT NULL`,
      [organisationId, id],
    );
    const erasedAt = this.clock.now();
    await tx.manager
      .createQueryBuilder()
      .update(PersonEntity)
      .set({ hasIdentity: false, erasedAt, version: () => 'version + 1', updatedAt: erasedAt })
      .where('organisation_id = :organisationId AND id = :id', { organisationId, id })
      .execute();
    noteAudit({ fields: identityFields });
    return {
      personId: id,
      code: person.code,
      erasedAt: erasedAt.toISOString(),
      identityFieldsRemoved: identityFields,
      indexEntriesRemoved: index.affected ?? 0,
      keysDestroyed,
      notesShredded: notes?.n ?? 0,
    };
  }

  /**
   * Reveals a person's identity for a purpose from the closed list. The access event records
   * the category only (it can never carry a name); optional words about it are encrypted under
   * the person's own key in `reveal_detail`, tied to the event by the request id, so erasing the
   * person shreds them too. An erased person has no key to hold such words: they are refused.
   */
  async reveal(principal: Principal, id: string, request: RevealRequest): Promise<RevealResponse> {
    const tx = this.db.current();
    const organisationId = principal.organisationId;
    const person = await tx.manager.getRepository(PersonEntity).findOneBy({ organisationId, id });
    if (person === null) throw new NotFoundError();
    noteAudit({ resourceIds: [person.code], purpose: request.purpose });
    const detail = request.detail?.trim() ?? '';
    if (detail !== '') {
      if (person.erasedAt !== null) throw new PersonErasedError();
      const key = await this.keyring.personKeyFor(tx, organisationId, id);
      const detailId = uuidv7();
      await tx.manager.getRepository(RevealDetailEntity).insert({
        organisationId,
        id: detailId,
        personId: id,
        purpose: request.purpose,
        detail: Buffer.from(
          this.crypto.encryptField(
            key,
            { organisationId, table: 'reveal_detail', column: 'detail', rowId: detailId },
            detail,
          ),
        ),
        requestId: currentCorrelationId(),
        createdBy: principal.userId,
      });
    }
    const { identity } = await this.readIdentity(tx, organisationId, id);
    noteAudit({ fields: presentFields(identity) });
    return { identity };
  }

  async lookup(organisationId: string, request: LookupRequest): Promise<LookupCandidate[]> {
    const given = [request.name, request.alias, request.phone, request.code].filter(
      (v) => v !== undefined && v.trim() !== '',
    );
    if (given.length === 0) {
      throw new ValidationFailedError([{ path: 'name', reason: 'nameAliasPhoneOrCode' }]);
    }
    const tx = this.db.current();
    const matches = new Map<string, Set<LookupMatch>>();
    const codes = new Map<string, string>();
    const add = (personId: string, match: LookupMatch): void => {
      const set = matches.get(personId) ?? new Set<LookupMatch>();
      set.add(match);
      matches.set(personId, set);
    };

    if (request.code !== undefined) {
      const code = parsePersonCode(request.code);
      if (code !== null) {
        const person = await tx.manager
          .getRepository(PersonEntity)
          .findOneBy({ organisationId, code });
        if (person !== null) {
          codes.set(person.id, person.code);
          add(person.id, 'code');
        }
      }
    }

    const queries = await this.indexQueries(tx, organisationId, request);
    // A person found through several indexes is decrypted once.
    const identities = new Map<string, Identity>();
    for (const query of queries) {
      const found =
        query.pairs === undefined
          ? await this.candidates(tx, organisationId, query.kind, query.values)
          : await this.pairCandidates(tx, organisationId, query.pairs, query.values);
      for (const candidate of found) {
        codes.set(candidate.personId, candidate.code);
        let identity = identities.get(candidate.personId);
        if (identity === undefined) {
          // The index only narrows: decryption confirms.
          identity =
            candidate.identity === null
              ? {}
              : await this.decryptIdentity(
                  tx,
                  organisationId,
                  candidate.personId,
                  candidate.identity,
                );
          identities.set(candidate.personId, identity);
        }
        if (query.confirm(identity)) add(candidate.personId, query.match);
      }
    }

    const people = [...matches.keys()].map((id) => ({ id, code: codes.get(id)! }));
    const ranked = people
      .map((p) => ({ id: p.id, code: p.code, matchedOn: [...matches.get(p.id)!].sort() }))
      .sort((a, b) => b.matchedOn.length - a.matchedOn.length || a.code.localeCompare(b.code))
      .slice(0, MAX_LOOKUP_CANDIDATES);
    noteAudit({ resourceIds: ranked.map((c) => c.code) });
    return ranked;
  }

  // ---- internals ----------------------------------------------------------------------------

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
    const rows = await tx.manager.query<{ id: string; override_reason: Buffer }[]>(
      `SELECT id, override_reason FROM referral
        WHERE organisation_id = $1 AND person_id = $2 AND override_reason IS NOT NULL
        FOR UPDATE`,
      [organisationId, personId],
    );
    const underOrganisationKey = rows.filter(
      (r) => this.crypto.keyIdOf(new Uint8Array(r.override_reason)) === ORGANISATION_DATA_KEY_ID,
    );
    if (underOrganisationKey.length === 0) return;
    const from = await this.keyring.organisationDataKey(tx, organisationId);
    const to = await this.keyring.personKeyFor(tx, organisationId, personId);
    for (const row of underOrganisationKey) {
      const place = {
        organisationId,
        table: 'referral',
        column: 'override_reason',
        rowId: row.id,
      };
      const moved = this.crypto.reencryptField(
        from,
        to,
        place,
        new Uint8Array(row.override_reason),
      );
      await tx.manager.query(
        `UPDATE referral SET override_reason = $3 WHERE organisation_id = $1 AND id = $2`,
        [organisationId, row.id, Buffer.from(moved)],
      );
    }
  }

  private async view(tx: Tx, organisationId: string, id: string): Promise<PersonView> {
    const person = await tx.manager.getRepository(PersonEntity).findOneBy({ organisationId, id });
    if (person === null) throw new NotFoundError();
    const identityFields = person.hasIdentity
      ? heldFields(
          await tx.manager
            .getRepository(PersonIdentityEntity)
            .findOneBy({ organisationId, personId: id }),
        )
      : [];
    return {
      id: person.id,
      code: person.code,
      version: person.version,
      ageBand: person.ageBand as AgeBand,
      regionOfOrigin: person.regionOfOrigin as RegionOfOrigin,
      languageGroup: person.languageGroup as LanguageGroup | null,
      genderIdentity: person.genderIdentity as GenderIdentity | null,
      consentToReporting: person.consentToReporting,
      hasIdentity: person.hasIdentity,
      identityFields,
      erasedAt: person.erasedAt?.toISOString() ?? null,
      createdAt: person.createdAt.toISOString(),
      updatedAt: person.updatedAt.toISOString(),
    };
  }

  private async lockPerson(tx: Tx, organisationId: string, id: string): Promise<PersonEntity> {
    const person = await tx.manager
      .getRepository(PersonEntity)
      .createQueryBuilder('p')
      .setLock('pessimistic_write')
      .where('p.organisation_id = :organisationId AND p.id = :id', { organisationId, id })
      .getOne();
    if (person === null) throw new NotFoundError();
    return person;
  }

  /**
   * Inserts the person with a random code no other person of the organisation has (35 random
   * bits: a clash is rare, and a concurrent create may take the same code between a check and
   * an insert, so the insert itself skips a taken code and another is drawn).
   */
  private async insertWithFreeCode(
    tx: Tx,
    person: Omit<
      PersonEntity,
      'code' | 'createdAt' | 'updatedAt' | 'version' | 'organisation' | 'erasedAt'
    >,
  ): Promise<string> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const code = generatePersonCode();
      const result = await tx.manager
        .createQueryBuilder()
        .insert()
        .into(PersonEntity)
        .values({ ...person, code })
        .orIgnore()
        .returning(['id'])
        .execute();
      if ((result.raw as unknown[]).length === 1) return code;
    }
    throw new Error('no free person code after 5 attempts');
  }

  /** A date of birth is a real calendar day, not in the future (refused with the field named). */
  private checkDateOfBirth(identity: Identity): void {
    const dateOfBirth = identity.dateOfBirth;
    if (dateOfBirth === undefined) return;
    if (parseIsoDate(dateOfBirth) === null)
      throw new ValidationFailedError([{ path: 'identity.dateOfBirth', reason: 'isDate' }]);
    if (dateOfBirth > latestCalendarDay(this.clock.now()))
      throw new ValidationFailedError([{ path: 'identity.dateOfBirth', reason: 'notInFuture' }]);
  }

  private seal(
    key: SecretKey,
    organisationId: string,
    personId: string,
    identity: Identity,
  ): Pick<
    PersonIdentityEntity,
    'givenName' | 'familyName' | 'alias' | 'dateOfBirth' | 'sex' | 'phone'
  > {
    const out = {
      givenName: null,
      familyName: null,
      alias: null,
      dateOfBirth: null,
      sex: null,
      phone: null,
    } as Record<string, Buffer | null>;
    for (const field of IDENTITY_FIELDS) {
      const value = identity[field];
      if (value === undefined) continue;
      const place = {
        organisationId,
        table: 'person_identity',
        column: COLUMN_OF[field],
        rowId: personId,
      };
      out[field] = Buffer.from(this.crypto.encryptField(key, place, value));
    }
    return out as Pick<
      PersonIdentityEntity,
      'givenName' | 'familyName' | 'alias' | 'dateOfBirth' | 'sex' | 'phone'
    >;
  }

  /**
   * The decrypted identity of a person (empty when none is held). Any failure to unwrap the
   * key or decrypt a field — a ciphertext or key id copied from another person, a corrupted
   * value — is an integrity failure: nothing is returned.
   */
  private async readIdentity(
    tx: Tx,
    organisationId: string,
    personId: string,
  ): Promise<{ identity: Identity; key: SecretKey | null }> {
    const row = await tx.manager
      .getRepository(PersonIdentityEntity)
      .findOneBy({ organisationId, personId });
    if (row === null) return { identity: {}, key: null };
    return this.guardIntegrity(personId, async () => {
      const key = await this.keyring.personKey(tx, organisationId, row.keyId, personId);
      return { identity: this.decryptColumns(key, organisationId, personId, row), key };
    });
  }

  /** `readIdentity` for an identity row read with its keyring row (a lookup candidate). */
  private decryptIdentity(
    tx: Tx,
    organisationId: string,
    personId: string,
    row: CandidateIdentity,
  ): Promise<Identity> {
    return this.guardIntegrity(personId, async () => {
      const key = await this.keyring.personKeyFromRow(
        tx,
        organisationId,
        row.keyId,
        personId,
        row.keyRow,
      );
      return this.decryptColumns(key, organisationId, personId, row.columns);
    });
  }

  private decryptColumns(
    key: SecretKey,
    organisationId: string,
    personId: string,
    row: CandidateColumns,
  ): Identity {
    const identity: Identity = {};
    for (const column of IDENTITY_COLUMNS) {
      const ciphertext = row[PROPERTY_OF[column]];
      if (ciphertext === null) continue;
      const place = { organisationId, table: 'person_identity', column, rowId: personId };
      const text = this.crypto.decryptText(key, place, new Uint8Array(ciphertext)).reveal();
      (identity as Record<string, string>)[FIELD_OF[column]] = text;
    }
    return identity;
  }

  /** A key that fails to unwrap or a field that fails to decrypt is an integrity failure. */
  private async guardIntegrity<T>(personId: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof DecryptionError || error instanceof KeyError) {
        throw new IdentityIntegrityError(personId);
      }
      throw error;
    }
  }

  /**
   * Writes the blind-index rows of an identity. Values are computed at 32 bits and truncated to
   * the organisation's `person_index_bits` by the INSERT itself (v_L = v_32 >> (32 − L),
   * blind-index.ts), so the width is read where it is used, never from a stale copy.
   */
  private async index(
    tx: Tx,
    organisationId: string,
    personId: string,
    identity: Identity,
  ): Promise<void> {
    const key = await this.keyring.indexKey(tx, organisationId);
    const rows: { kind: PersonIndexKind; value: number }[] = [];
    const fullName = [identity.givenName, identity.familyName]
      .filter((v) => v !== undefined)
      .join(' ');
    if (fullName.trim() !== '') {
      for (const value of this.crypto.blindIndex.nameValues(
        key,
        INDEX_NAME.name,
        fullName,
        FULL_BITS,
      ))
        rows.push({ kind: 'name', value });
      // Pairs of tokens, so that a lookup by two or more tokens probes small buckets; a name
      // with too many tokens for pairs is marked, and found through its token rows instead.
      const pairs = this.crypto.blindIndex.namePairs(
        key,
        INDEX_NAME.name_pair,
        fullName,
        FULL_BITS,
      );
      if (pairs === null) rows.push({ kind: 'name_unpaired', value: 0 });
      else for (const value of pairs) rows.push({ kind: 'name_pair', value });
    }
    if (identity.alias !== undefined) {
      for (const value of this.crypto.blindIndex.nameValues(
        key,
        INDEX_NAME.alias,
        identity.alias,
        FULL_BITS,
      ))
        rows.push({ kind: 'alias', value });
    }
    if (identity.phone !== undefined) {
      rows.push({
        kind: 'phone',
        value: this.crypto.blindIndex.value(
          key,
          INDEX_NAME.phone,
          'phone',
          identity.phone,
          FULL_BITS,
        ),
      });
    }
    const slk = this.slk(key, identity);
    if (slk !== null) rows.push({ kind: 'slk', value: slk });
    if (rows.length === 0) return;
    await tx.manager.query(
      `INSERT INTO person_index (organisation_id, kind, bits, value, person_id)
       SELECT o.id, r.kind, o.person_index_bits, r.value >> (32 - o.person_index_bits), $2
         FROM organisation o, unnest($3::text[], $4::bigint[]) AS r(kind, value)
        WHERE o.id = $1
       ON CONFLICT DO NOTHING`,
      [organisationId, personId, rows.map((r) => r.kind), rows.map((r) => String(r.value))],
    );
  }

  /**
   * The SLK-581 index value at 32 bits, when date of birth, sex and at least one name are known.
   */
  private slk(
    key: SecretKey,
    identity: { familyName?: string; givenName?: string; dateOfBirth?: string; sex?: SlkSex },
  ): number | null {
    if (identity.dateOfBirth === undefined || identity.sex === undefined) return null;
    if (identity.familyName === undefined && identity.givenName === undefined) return null;
    try {
      return this.crypto.blindIndex.slk581(
        key,
        {
          familyName: identity.familyName,
          givenName: identity.givenName,
          dateOfBirth: identity.dateOfBirth,
          sex: identity.sex,
        },
        FULL_BITS,
        { now: this.clock.now() },
      ).value;
    } catch (error) {
      if (error instanceof Slk581InputError) return null;
      throw error;
    }
  }

  private async indexQueries(
    tx: Tx,
    organisationId: string,
    request: LookupRequest,
  ): Promise<IndexQuery[]> {
    const wanted =
      request.name !== undefined || request.alias !== undefined || request.phone !== undefined;
    if (!wanted) return [];
    const key = await this.keyring.indexKey(tx, organisationId);
    const out: IndexQuery[] = [];
    const index = this.crypto.blindIndex;
    if (request.name !== undefined && normaliseName(request.name).length > 0) {
      const name = request.name;
      const pairs = index.namePairs(key, INDEX_NAME.name_pair, name, FULL_BITS);
      out.push({
        kind: 'name',
        match: 'name',
        values: index.nameQuery(key, INDEX_NAME.name, name, FULL_BITS),
        // Two or more tokens: through the pair rows (none for a query too long to have any).
        pairs: pairs === null ? [] : pairs.length > 0 ? pairs : undefined,
        confirm: (identity) => containsName(fullNameOf(identity), name),
      });
      // Free text may be either part of the name first: every split is one SLK candidate.
      if (request.dateOfBirth !== undefined && request.sex !== undefined) {
        const parts = request.name.trim().split(/\s+/u);
        const slkValues = new Set<number>();
        for (let i = 0; i < parts.length && parts.length <= 6; i++) {
          const family = parts[i]!;
          const given = parts.filter((_, j) => j !== i).join(' ');
          const value = this.slk(key, {
            familyName: family,
            givenName: given === '' ? undefined : given,
            dateOfBirth: request.dateOfBirth,
            sex: request.sex,
          });
          if (value !== null) slkValues.add(value);
        }
        for (const value of slkValues) {
          out.push({
            kind: 'slk',
            match: 'slk',
            values: [value],
            // Confirmed by the person's own SLK, recomputed from their decrypted identity.
            confirm: (identity) =>
              identity.dateOfBirth === request.dateOfBirth &&
              identity.sex === request.sex &&
              this.slk(key, identity) === value,
          });
        }
      }
    }
    if (request.alias !== undefined && normaliseName(request.alias).length > 0) {
      const alias = request.alias;
      out.push({
        kind: 'alias',
        match: 'alias',
        values: index.nameQuery(key, INDEX_NAME.alias, alias, FULL_BITS),
        confirm: (identity) => identity.alias !== undefined && containsName(identity.alias, alias),
      });
    }
    if (request.phone !== undefined && request.phone.trim() !== '') {
      const phone = request.phone;
      const wantedValue = index.value(key, INDEX_NAME.phone, 'phone', phone, FULL_BITS);
      out.push({
        kind: 'phone',
        match: 'phone',
        values: [wantedValue],
        confirm: (identity) =>
          identity.phone !== undefined &&
          normaliseValue(identity.phone, NORMALISATION_VERSION, 'phone') ===
            normaliseValue(phone, NORMALISATION_VERSION, 'phone'),
      });
    }
    return out;
  }

  /**
   * People whose index rows of `kind` hold every one of `values` (32-bit values, truncated here
   * to the organisation's width), with their code, encrypted identity and the keyring row of
   * its key: one round trip for all candidates of one index.
   */
  private async candidates(
    tx: Tx,
    organisationId: string,
    kind: PersonIndexKind,
    values: number[],
  ): Promise<Candidate[]> {
    const unique = [...new Set(values)];
    if (unique.length === 0) return [];
    const rows = await tx.prepared<CandidateRow>(
      'persons_lookup_candidates',
      `WITH wanted AS (
         SELECT DISTINCT o.person_index_bits AS bits, v >> (32 - o.person_index_bits) AS value
           FROM organisation o, unnest($3::bigint[]) AS v
          WHERE o.id = $1),
       candidate AS (
         SELECT i.person_id
           FROM person_index i JOIN wanted w ON i.bits = w.bits AND i.value = w.value
          WHERE i.organisation_id = $1 AND i.kind = $2
          GROUP BY i.person_id
         HAVING count(DISTINCT i.value) = (SELECT count(*) FROM wanted)
          LIMIT $4)
${CANDIDATE_ROWS_SQL}`,
      [organisationId, kind, unique.map(String), MAX_LOOKUP_CANDIDATES * 10],
    );
    return rows.map(candidateOf);
  }

  /**
   * People whose pair rows hold every pair of a name query (`pairs`), or who are marked
   * `name_unpaired`, and whose token rows hold every token (`tokens`), as `candidates` reads
   * them. The first pair's bucket seeds the candidates: it holds the people sharing that pair of
   * tokens plus a few collisions, so a common token alone ("Nguyen") never makes the query read
   * thousands of rows; every other pair and token then costs one primary-key probe per
   * candidate (marked people hold no pairs, so only their tokens are probed). A query without
   * pairs (more tokens than are pair-indexed) can only match marked people.
   */
  private async pairCandidates(
    tx: Tx,
    organisationId: string,
    pairs: number[],
    tokens: number[],
  ): Promise<Candidate[]> {
    const [seed, ...otherPairs] = [...new Set(pairs)];
    const probes = [
      ...otherPairs.map((value) => ({ kind: 'name_pair', value })),
      ...[...new Set(tokens)].map((value) => ({ kind: 'name', value })),
    ];
    const rows = await tx.prepared<CandidateRow>(
      'persons_lookup_pair_candidates',
      `WITH candidate AS (
         SELECT x.person_id
           FROM organisation o
          CROSS JOIN LATERAL (
                  SELECT i.person_id, true AS paired
                    FROM person_index i
                   WHERE i.organisation_id = $1 AND i.kind = 'name_pair'
                     AND i.bits = o.person_index_bits
                     AND i.value = $2::bigint >> (32 - o.person_index_bits)
                  UNION ALL
                  SELECT u.person_id, false
                    FROM person_index u
                   WHERE u.organisation_id = $1 AND u.kind = 'name_unpaired'
                     AND u.bits = o.person_index_bits AND u.value = 0) AS x
          WHERE o.id = $1
            AND NOT EXISTS (
                  SELECT 1 FROM unnest($3::text[], $4::bigint[]) AS w(kind, value)
                   WHERE (x.paired OR w.kind = 'name')
                     AND NOT EXISTS (
                           SELECT 1 FROM person_index j
                            WHERE j.organisation_id = $1 AND j.kind = w.kind
                              AND j.bits = o.person_index_bits
                              AND j.value = w.value >> (32 - o.person_index_bits)
                              AND j.person_id = x.person_id))
          LIMIT $5)
${CANDIDATE_ROWS_SQL}`,
      [
        organisationId,
        seed === undefined ? null : String(seed),
        probes.map((p) => p.kind),
        probes.map((p) => String(p.value)),
        MAX_LOOKUP_CANDIDATES * 10,
      ],
    );
    return rows.map(candidateOf);
  }
}

/**
 * The end of both candidate queries: each candidate (`candidate`, $1 the organisation) with its
 * code, encrypted identity and the keyring row of its key, in the same round trip.
 */
const CANDIDATE_ROWS_SQL = `       SELECT c.person_id, p.code, pi.key_id, pi.given_name, pi.family_name, pi.alias,
              pi.date_of_birth, pi.sex, pi.phone, k.purpose AS key_purpose,
              k.subject_id AS key_subject_id, k.status AS key_status,
              k.wrapping_key_id AS key_wrapping_key_id, k.wrapped AS key_wrapped
         FROM candidate c
         JOIN person p ON p.organisation_id = $1 AND p.id = c.person_id
         LEFT JOIN person_identity pi ON pi.organisation_id = $1 AND pi.person_id = c.person_id
         LEFT JOIN organisation_key k ON k.organisation_id = $1 AND k.key_id = pi.key_id`;

function candidateOf(r: CandidateRow): Candidate {
  return {
    personId: r.person_id,
    code: r.code,
    identity:
      r.key_id === null
        ? null
        : {
            keyId: r.key_id,
            columns: {
              givenName: r.given_name,
              familyName: r.family_name,
              alias: r.alias,
              dateOfBirth: r.date_of_birth,
              sex: r.sex,
              phone: r.phone,
            },
            keyRow:
              r.key_purpose === null
                ? null
                : {
                    purpose: r.key_purpose,
                    subjectId: r.key_subject_id,
                    status: r.key_status!,
                    wrappingKeyId: r.key_wrapping_key_id!,
                    wrapped: r.key_wrapped,
                  },
          },
  };
}

/** The names of the identity fields a row holds (never their values). */
function heldFields(row: PersonIdentityEntity | null): IdentityField[] {
  if (row === null) return [];
  return IDENTITY_COLUMNS.filter((column) => row[PROPERTY_OF[column]] !== null).map(
    (column) => FIELD_OF[column],
  );
}

/** Trimmed identity values; empty strings dropped. */
function cleanIdentity(input: PersonIdentityInput): Identity {
  const out: Identity = {};
  for (const field of IDENTITY_FIELDS) {
    const value = input[field];
    if (typeof value !== 'string') continue;
    const trimmed = value.trim();
    if (trimmed !== '') (out as Record<string, string>)[field] = trimmed;
  }
  return out;
}

function presentFields(identity: Identity): IdentityField[] {
  return IDENTITY_FIELDS.filter((f) => identity[f] !== undefined);
}

/** A lookup through one index, with the check that confirms a decrypted candidate. */
interface IndexQuery {
  readonly kind: PersonIndexKind;
  readonly match: LookupMatch;
  /** At 32 bits; the query truncates them to the organisation's width. */
  readonly values: number[];
  /**
   * For a name of two or more tokens: its pair values (at 32 bits), searched instead of the
   * token values, which then only check people marked `name_unpaired`.
   */
  readonly pairs?: number[];
  readonly confirm: (identity: Identity) => boolean;
}

type CandidateColumns = Readonly<
  Record<'givenName' | 'familyName' | 'alias' | 'dateOfBirth' | 'sex' | 'phone', Buffer | null>
>;

interface CandidateIdentity {
  readonly keyId: number;
  readonly columns: CandidateColumns;
  readonly keyRow: PersonKeyRow | null;
}

/** A lookup candidate as read: code, and the encrypted identity (null when none is held). */
interface Candidate {
  readonly personId: string;
  readonly code: string;
  readonly identity: CandidateIdentity | null;
}

interface CandidateRow {
  person_id: string;
  code: string;
  key_id: number | null;
  given_name: Buffer | null;
  family_name: Buffer | null;
  alias: Buffer | null;
  date_of_birth: Buffer | null;
  sex: Buffer | null;
  phone: Buffer | null;
  key_purpose: string | null;
  key_subject_id: string | null;
  key_status: string | null;
  key_wrapping_key_id: number | null;
  key_wrapped: Buffer | null;
}

function fullNameOf(identity: Identity): string {
  return [identity.givenName, identity.familyName].filter((v) => v !== undefined).join(' ');
}

/** Name tokens with Latin diacritics folded (how a query without diacritics is compared). */
function foldedTokens(text: string): string[] {
  const tokens = normaliseName(text);
  return latinFoldedVariant(tokens) ?? tokens;
}

/** Whether every token of `query` is a token of `stored` (order, case, form and marks aside). */
function containsName(stored: string, query: string): boolean {
  if (stored === '') return false;
  const have = new Set([...normaliseName(stored), ...foldedTokens(stored)]);
  const want = foldedTokens(query);
  return want.length > 0 && want.every((token) => have.has(token));
}
