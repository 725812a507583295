import { Inject, Injectable } from '@nestjs/common';
import type { HarbourCrypto } from '@harbour/crypto';
import {
  MAX_LOOKUP_CANDIDATES,
  parsePersonCode,
  uuidv7,
  type CreatePersonRequest,
  type DuplicateCandidate,
  type LookupCandidate,
  type PersonIdentityInput,
  type LookupMatch,
  type LookupRequest,
  type PersonView,
  type RevealRequest,
  type RevealResponse,
} from '@harbour/domain';
import { KeyringService } from '../../core/keyring/keyring.service';
import { cleanIdentity, presentFields } from '../../core/records/identity';
import { IdentityVault } from '../../core/records/identity-vault';
import { PersonAccess } from '../../core/records/person-access';
import {
  PersonErasedError,
  PersonMergedError,
  PossibleDuplicateError,
} from '../../core/records/person.errors';
import { PersonIndexer } from '../../core/records/person-indexer';
import { PersonRecords } from '../../core/records/person-records';
import type { SignedInScope } from '../../core/scope/request-scope';
import { PersonLookupQueries } from '../../data/persons/person-lookup.queries';
import { PersonMergeRepository } from '../../data/persons/person-merge.repository';
import { PersonsRepository } from '../../data/persons/persons.repository';
import { HARBOUR_CRYPTO } from '../../infra/crypto/crypto.module';
import { NotFoundError, ValidationFailedError } from '../../infra/http/domain-error';
import { currentCorrelationId } from '../../infra/logging/request-context';
import { CandidateIdentities } from './candidate-identities';
import { SimilarNameLookup, type SimilarName } from './similar-name-lookup';

/** The similar-name pass stops widening its search once it has found this many (ADR 0010). */
export const SIMILAR_NAME_PAGE = 5;

/**
 * People (docs/design.md §3–§5) as caseworkers reach them: a person's record, a reveal of their
 * identity for a stated purpose, and lookup — candidates narrowed through the blind indexes
 * (`PersonIndexer`, `PersonLookupQueries`) and each confirmed by decryption (`IdentityVault`).
 * Writes go through `PersonRecords`, which intake and canaries share.
 */
@Injectable()
export class PersonsService {
  constructor(
    private readonly records: PersonRecords,
    private readonly persons: PersonsRepository,
    private readonly lookups: PersonLookupQueries,
    private readonly vault: IdentityVault,
    private readonly indexer: PersonIndexer,
    private readonly keyring: KeyringService,
    private readonly merges: PersonMergeRepository,
    private readonly similarNames: SimilarNameLookup,
    @Inject(HARBOUR_CRYPTO) private readonly crypto: HarbourCrypto,
    private readonly access: PersonAccess,
  ) {}

  /**
   * Records a person, after a duplicate check when the request asks for one (the console always
   * does): people already recorded with the same name pair, SLK-581 or phone (each confirmed by
   * decryption, as a lookup does) refuse the create with 409 `possible_duplicate` naming their
   * codes; the worker then opens one of them or creates anyway (asking again without the
   * check). The check is a lookup, so it runs only for those who may look people up
   * (`identity:reveal`), never finds a restricted person the caller may not read, and its answer
   * is recorded as `person.duplicate_warned` with the codes shown: it tells nobody more than a
   * lookup would, and leaves the same trace.
   */
  async create(scope: SignedInScope, request: CreatePersonRequest): Promise<PersonView> {
    if (request.checkDuplicates === true && scope.principal.permissions.has('identity:reveal')) {
      const candidates = await this.duplicatesOf(scope, request.identity ?? {});
      if (candidates.length > 0) {
        scope.note({ action: 'person.duplicate_warned' });
        throw new PossibleDuplicateError(candidates);
      }
    }
    return this.records.create(scope, request);
  }

  private async duplicatesOf(
    scope: SignedInScope,
    input: PersonIdentityInput,
  ): Promise<DuplicateCandidate[]> {
    const identity = cleanIdentity(input);
    const name =
      identity.givenName !== undefined && identity.familyName !== undefined
        ? `${identity.givenName} ${identity.familyName}`
        : undefined;
    const probe: LookupRequest = {
      ...(name === undefined ? {} : { name }),
      ...(identity.phone === undefined ? {} : { phone: identity.phone }),
      ...(name !== undefined && identity.dateOfBirth !== undefined && identity.sex !== undefined
        ? { dateOfBirth: identity.dateOfBirth, sex: identity.sex }
        : {}),
    };
    if (probe.name === undefined && probe.phone === undefined) return [];
    const found = await this.lookup(scope, probe);
    const seen = await this.merges.lastSeen(
      scope.tx,
      scope.organisationId,
      found.map((c) => c.id),
    );
    return found.map((c) => ({ ...c, lastSeenOn: seen.get(c.id) ?? null }));
  }

  async get(scope: SignedInScope, id: string): Promise<PersonView> {
    const view = await this.records.view(scope.tx, scope.organisationId, id);
    scope.note({ resourceIds: [view.code] });
    return view;
  }

  /**
   * Reveals a person's identity for a purpose from the closed list. The access event records
   * the category only (it can never carry a name); optional words about it are encrypted under
   * the person's own key in `reveal_detail`, tied to the event by the request id, so erasing the
   * person shreds them too. An erased person has no key to hold such words: they are refused.
   */
  async reveal(scope: SignedInScope, id: string, request: RevealRequest): Promise<RevealResponse> {
    const { tx, organisationId, principal } = scope;
    const person = await this.persons.find(tx, organisationId, id);
    if (person === null) throw new NotFoundError();
    scope.note({ resourceIds: [person.code], purpose: request.purpose });
    // A merged record holds no identity: its person is read through the survivor.
    if (person.mergedInto !== null) throw new PersonMergedError();
    await this.access.assertMayReadProtected(scope, id);
    const detail = request.detail?.trim() ?? '';
    if (detail !== '') {
      if (person.erasedAt !== null) throw new PersonErasedError();
      const key = await this.keyring.personKeyFor(tx, organisationId, id);
      const detailId = uuidv7();
      const place = { organisationId, table: 'reveal_detail', column: 'detail', rowId: detailId };
      await this.persons.insertRevealDetail(tx, {
        organisationId,
        id: detailId,
        personId: id,
        purpose: request.purpose,
        detail: Buffer.from(this.crypto.encryptField(key, place, detail)),
        requestId: currentCorrelationId(),
        createdBy: principal.userId,
      });
    }
    const { identity } = await this.vault.read(tx, organisationId, id);
    scope.note({ fields: presentFields(identity) });
    return { identity };
  }

  async lookup(scope: SignedInScope, request: LookupRequest): Promise<LookupCandidate[]> {
    const given = [request.name, request.alias, request.phone, request.code].filter(
      (v) => v !== undefined && v.trim() !== '',
    );
    if (given.length === 0) {
      throw new ValidationFailedError([{ path: 'name', reason: 'nameAliasPhoneOrCode' }]);
    }
    const { tx, organisationId } = scope;
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
        const person = await this.persons.findByCode(tx, organisationId, code);
        if (person !== null) {
          codes.set(person.id, person.code);
          add(person.id, 'code');
        }
      }
    }

    // Keys this instance holds unwrapped need no material from the keyring database.
    const held = (keyId: number, personId: string) =>
      this.vault.holdsKey(organisationId, keyId, personId);
    // A person found through several indexes has each field decrypted once, and only the
    // fields a query compares.
    const identities = new CandidateIdentities(this.vault, tx, organisationId);
    // A restricted person the caller may not read is never a candidate: the candidate queries
    // leave them out in the database, so a lookup that matches only them sends the statements
    // and gets the rows of one that matches nobody, and no answer tells whether a name belongs
    // to them (their code, typed in, still finds them, as a code only; docs/adr/0023).
    const reader = this.access.restrictedReader(scope);
    for (const query of await this.indexer.queries(tx, organisationId, request)) {
      const found =
        query.pairs === undefined
          ? await this.lookups.byIndex(tx, organisationId, reader, query.kind, query.values, held)
          : await this.lookups.byNamePairs(
              tx,
              organisationId,
              reader,
              query.bits,
              query.pairs,
              query.values,
              held,
            );
      for (const candidate of found) {
        codes.set(candidate.personId, candidate.code);
        // The index only narrows: decryption confirms.
        const identity = await identities.read(candidate, query.reads);
        if (query.confirm(identity)) add(candidate.personId, query.match);
      }
    }

    // No exact name match: look for similar names (ADR 0010). A lookup that finds the name as
    // typed costs what it did (docs/benchmarks.md, case records).
    const similar = new Map<string, SimilarName>();
    const name = request.name;
    const exactNames = [...matches.values()].filter((m) => m.has('name')).length;
    if (name !== undefined && name.trim() !== '' && exactNames === 0) {
      const found = await this.similarNames.find(
        tx,
        organisationId,
        { ...request, name },
        SIMILAR_NAME_PAGE,
        held,
        identities,
        reader,
      );
      for (const s of found) {
        if (matches.get(s.personId)?.has('name') === true) continue;
        codes.set(s.personId, s.code);
        similar.set(s.personId, s);
        add(s.personId, 'name_similar');
      }
    }

    // Exact matches first (more of them first), then similar names whose date of birth and sex
    // agree with what was typed, then the closest similar names.
    const exact = (id: string) => [...matches.get(id)!].filter((m) => m !== 'name_similar').length;
    const ranked = [...matches.keys()]
      .sort(
        (a, b) =>
          exact(b) - exact(a) ||
          Number(similar.get(b)?.agrees ?? false) - Number(similar.get(a)?.agrees ?? false) ||
          (similar.get(a)?.distance ?? 0) - (similar.get(b)?.distance ?? 0) ||
          codes.get(a)!.localeCompare(codes.get(b)!),
      )
      .slice(0, MAX_LOOKUP_CANDIDATES)
      .map((id) => ({ id, code: codes.get(id)!, matchedOn: [...matches.get(id)!].sort() }));
    scope.note({ resourceIds: ranked.map((c) => c.code) });
    return ranked;
  }
}
