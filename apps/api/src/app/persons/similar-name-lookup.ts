import { Injectable } from '@nestjs/common';
import { similarNameDistance } from '@harbour/crypto';
import type { IdentityField, LookupRequest } from '@harbour/domain';
import type { Identity } from '../../core/records/identity';
import { NAME_FIELDS, namePartsOf, PersonIndexer } from '../../core/records/person-indexer';
import type { Candidate, HeldKey, RestrictedReader } from '../../data/persons/lookup-candidate';
import { PersonLookupQueries } from '../../data/persons/person-lookup.queries';
import type { Tx } from '../../infra/database/transaction';
import type { CandidateIdentities } from './candidate-identities';

/**
 * The most candidates one similar-name search decrypts (beyond those the exact search already
 * decrypted): the work and the exposure of a search stay bounded however common a name is.
 */
export const MAX_SIMILAR_NAME_DECRYPTS = 120;
/** Candidates read from one exact-token bucket in the typo fallback. */
const TOKEN_BUCKET_LIMIT = 40;

/** A person whose name is similar to the query: how far, and whether date of birth/sex agree. */
export interface SimilarName {
  readonly personId: string;
  readonly code: string;
  readonly distance: number;
  readonly agrees: boolean;
}

/**
 * The lookup's second pass (ADR 0010), run when the exact name search found nobody:
 * candidates from the keyed phonetic-pair index (typos that keep the sound, other
 * transliterations, a name stored in Thai, Hangul or Han typed in Latin letters and the reverse)
 * and, when those give nobody, from the exact bucket of each query token alone and then each
 * phonetic key's bucket alone (a typo that changes one token's sound leaves the other token
 * exact, or at least sounding the same), until a page is found. Each candidate is decrypted and
 * kept only when every query token is within a small edit distance of, or sounds like, a part of
 * the stored name (`similarNameDistance`); at most `MAX_SIMILAR_NAME_DECRYPTS` are decrypted.
 */
@Injectable()
export class SimilarNameLookup {
  constructor(
    private readonly indexer: PersonIndexer,
    private readonly lookups: PersonLookupQueries,
  ) {}

  async find(
    tx: Tx,
    organisationId: string,
    request: LookupRequest & { name: string },
    page: number,
    held: HeldKey,
    identities: CandidateIdentities,
    /** Whose view of restricted people: those hidden from it are never read nor listed. */
    reader: RestrictedReader,
  ): Promise<SimilarName[]> {
    const query = await this.indexer.similarNameQuery(tx, organisationId, request.name);
    const found = new Map<string, SimilarName>();
    let decrypts = 0;
    // The names are compared; date of birth and sex only when the request gives a date of birth.
    const reads: readonly IdentityField[] =
      request.dateOfBirth === undefined ? NAME_FIELDS : [...NAME_FIELDS, 'dateOfBirth', 'sex'];
    const consider = async (candidates: readonly Candidate[]): Promise<void> => {
      for (const candidate of candidates) {
        if (found.has(candidate.personId)) continue;
        if (!identities.has(candidate.personId)) {
          if (decrypts >= MAX_SIMILAR_NAME_DECRYPTS) return;
          decrypts++;
        }
        const identity = await identities.read(candidate, reads);
        const distance = similarNameDistance(namePartsOf(identity), request.name);
        if (distance === null) continue;
        found.set(candidate.personId, {
          personId: candidate.personId,
          code: candidate.code,
          distance,
          agrees: agrees(identity, request),
        });
      }
    };
    const limit = MAX_SIMILAR_NAME_DECRYPTS;
    if (query.single !== null) {
      await consider(
        await this.lookups.byIndex(
          tx,
          organisationId,
          reader,
          'name_phonetic',
          [query.single],
          held,
          limit,
        ),
      );
    } else {
      await consider(
        await this.lookups.bySimilarName(
          tx,
          organisationId,
          reader,
          query.probes,
          query.tokens,
          query.keys,
          limit,
          held,
        ),
      );
    }
    // Nobody through the pairs: pairs with one key one sound class away, then each exact
    // token's bucket, then each phonetic key's bucket alone.
    if (found.size > 0) return [...found.values()];
    await consider(
      await this.lookups.bySimilarName(
        tx,
        organisationId,
        reader,
        query.near(),
        query.tokens,
        query.keys,
        limit - decrypts,
        held,
      ),
    );
    if (found.size > 0) return [...found.values()];
    const buckets = [
      ...query.tokens.map((value) => ({ kind: 'name' as const, value })),
      ...query.keys.map((value) => ({ kind: 'name_phonetic' as const, value })),
    ];
    for (const { kind, value } of buckets) {
      if (found.size >= page || decrypts >= MAX_SIMILAR_NAME_DECRYPTS) break;
      await consider(
        await this.lookups.byIndex(
          tx,
          organisationId,
          reader,
          kind,
          [value],
          held,
          TOKEN_BUCKET_LIMIT,
        ),
      );
    }
    return [...found.values()];
  }
}

/** Whether the date of birth (and sex, when given) the caseworker typed agree with the record. */
function agrees(identity: Identity, request: LookupRequest): boolean {
  if (request.dateOfBirth === undefined) return false;
  if (identity.dateOfBirth !== request.dateOfBirth) return false;
  return request.sex === undefined || identity.sex === request.sex;
}
