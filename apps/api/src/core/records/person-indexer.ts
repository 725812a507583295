import { Inject, Injectable } from '@nestjs/common';
import {
  foldedNameTokens,
  nameHoldsTokens,
  normaliseName,
  normaliseValue,
  NORMALISATION_VERSION,
  Slk581InputError,
  type HarbourCrypto,
  type SecretKey,
  type SimilarNameProbe,
} from '@harbour/crypto';
import type { IdentityField, LookupMatch, LookupRequest, SlkSex } from '@harbour/domain';
import type { PersonIndexKind } from '../../data/persons/person-index.entity';
import { PersonsRepository } from '../../data/persons/persons.repository';
import { HARBOUR_CRYPTO } from '../../infra/crypto/crypto.module';
import type { Tx } from '../../infra/database/transaction';
import { Clock } from '../../infra/time/clock';
import { KeyringService } from '../keyring/keyring.service';
import type { Identity } from './identity';

/** Blind-index names (each gets its own subkey of the organisation's index key). */
const INDEX_NAME: Readonly<Record<Exclude<PersonIndexKind, 'name_unpaired'>, string>> = {
  name: 'person.name',
  name_pair: 'person.name_pair',
  name_phonetic: 'person.name_phonetic',
  name_phonetic_pair: 'person.name_phonetic_pair',
  alias: 'person.alias',
  slk: 'person.slk581',
  phone: 'person.phone',
};

/** Blind-index values are computed at full width; SQL truncates them (blind-index.ts). */
const FULL_BITS = 32;

/** A lookup through one index, with the check that confirms a decrypted candidate. */
export interface IndexQuery {
  readonly kind: PersonIndexKind;
  readonly match: LookupMatch;
  /** At 32 bits; the query truncates them to the organisation's width. */
  readonly values: number[];
  /**
   * For a name of two or more tokens: its pair values (at 32 bits). The first pair's bucket
   * (and the people marked `name_unpaired`) gives the candidates, and the token values check
   * them.
   */
  readonly pairs?: number[];
  /** The organisation's index width in this transaction (the name-pair query truncates here). */
  readonly bits: number;
  /** The identity fields `confirm` compares: the only ones a candidate has decrypted for it. */
  readonly reads: readonly IdentityField[];
  readonly confirm: (identity: Identity) => boolean;
}

/** The identity fields a name is made of: what a name lookup decrypts to confirm a candidate. */
export const NAME_FIELDS: readonly IdentityField[] = ['givenName', 'familyName'];

/**
 * The blind indexes of a person's identity (docs/design.md §5, ADR 0005): keyed, truncated values
 * of name tokens, token pairs, alias, phone and the SLK-581 linkage key, written when an
 * identity is saved, and the same values computed from a search. They only narrow a search;
 * decryption confirms (`IdentityVault`).
 */
@Injectable()
export class PersonIndexer {
  constructor(
    private readonly keyring: KeyringService,
    private readonly persons: PersonsRepository,
    private readonly clock: Clock,
    @Inject(HARBOUR_CRYPTO) private readonly crypto: HarbourCrypto,
  ) {}

  /** Writes the blind-index rows of an identity (the person has none yet). */
  async write(tx: Tx, organisationId: string, personId: string, identity: Identity): Promise<void> {
    const key = await this.keyring.indexKey(tx, organisationId);
    const index = this.crypto.blindIndex;
    const rows: { kind: PersonIndexKind; value: number }[] = [];
    const fullName = fullNameOf(identity);
    if (fullName.trim() !== '') {
      for (const value of index.nameValues(key, INDEX_NAME.name, fullName, FULL_BITS))
        rows.push({ kind: 'name', value });
      // Pairs of tokens, so that a lookup by two or more tokens probes small buckets; a name
      // with too many tokens for pairs is marked, and found through its token rows instead.
      const pairs = index.namePairs(key, INDEX_NAME.name_pair, fullName, FULL_BITS);
      if (pairs === null) rows.push({ kind: 'name_unpaired', value: 0 });
      else for (const value of pairs) rows.push({ kind: 'name_pair', value });
      rows.push(...this.similarNameRows(key, identity));
    }
    if (identity.alias !== undefined) {
      for (const value of index.nameValues(key, INDEX_NAME.alias, identity.alias, FULL_BITS))
        rows.push({ kind: 'alias', value });
    }
    if (identity.phone !== undefined) {
      const value = index.value(key, INDEX_NAME.phone, 'phone', identity.phone, FULL_BITS);
      rows.push({ kind: 'phone', value });
    }
    const slk = this.slk(key, identity);
    if (slk !== null) rows.push({ kind: 'slk', value: slk });
    await this.persons.insertIndex(tx, organisationId, personId, rows);
  }

  /**
   * The similar-name rows of an identity (ADR 0010): keyed phonetic keys of its name's Latin or
   * romanised units, and keyed pairs of them.
   */
  private similarNameRows(
    key: SecretKey,
    identity: Identity,
  ): { kind: PersonIndexKind; value: number }[] {
    const parts = namePartsOf(identity);
    if (parts.length === 0) return [];
    const { keys, pairs } = this.crypto.blindIndex.similarNameValues(
      key,
      INDEX_NAME.name_phonetic,
      INDEX_NAME.name_phonetic_pair,
      parts,
      FULL_BITS,
    );
    return [
      ...keys.map((value) => ({ kind: 'name_phonetic' as const, value })),
      ...pairs.map((value) => ({ kind: 'name_phonetic_pair' as const, value })),
    ];
  }

  /**
   * Adds the similar-name rows of a person indexed before they existed (the re-index, ADR 0010);
   * the person's other rows stay as they are. Returns how many rows were written.
   */
  async writeSimilarName(
    tx: Tx,
    organisationId: string,
    personId: string,
    identity: Identity,
  ): Promise<number> {
    const key = await this.keyring.indexKey(tx, organisationId);
    const rows = this.similarNameRows(key, identity);
    await this.persons.insertIndex(tx, organisationId, personId, rows);
    return rows.length;
  }

  /**
   * What a similar-name lookup probes for a name query (ADR 0010), and the exact token values
   * of each query token on its own (the fallback for a typo that changes a phonetic key).
   */
  async similarNameQuery(
    tx: Tx,
    organisationId: string,
    name: string,
  ): Promise<{
    probes: SimilarNameProbe[];
    single: number | null;
    keys: number[];
    near: () => SimilarNameProbe[];
    tokens: number[];
  }> {
    const key = await this.keyring.indexKey(tx, organisationId);
    const index = this.crypto.blindIndex;
    const similar = index.similarNameQuery(
      key,
      INDEX_NAME.name_phonetic,
      INDEX_NAME.name_phonetic_pair,
      name,
      FULL_BITS,
    );
    const tokens = normaliseName(name).flatMap((token) =>
      index.nameQuery(key, INDEX_NAME.name, token, FULL_BITS),
    );
    return { ...similar, tokens: [...new Set(tokens)] };
  }

  /** The index queries a lookup request asks, each with its confirmation. */
  async queries(tx: Tx, organisationId: string, request: LookupRequest): Promise<IndexQuery[]> {
    const wanted =
      request.name !== undefined || request.alias !== undefined || request.phone !== undefined;
    if (!wanted) return [];
    const key = await this.keyring.indexKey(tx, organisationId);
    const bits = await this.keyring.indexBits(tx, organisationId);
    const out: IndexQuery[] = [];
    const index = this.crypto.blindIndex;
    // Each name is folded once, for its query values, its pairs and every confirmation.
    const name = foldedNameTokens(request.name ?? '');
    if (name.length > 0) {
      const pairs = index.foldedNamePairs(key, INDEX_NAME.name_pair, name, FULL_BITS);
      out.push({
        kind: 'name',
        match: 'name',
        bits,
        values: index.foldedNameQuery(key, INDEX_NAME.name, name, FULL_BITS),
        // Two or more tokens: through the pair rows (none for a query too long to have any).
        pairs: pairs === null ? [] : pairs.length > 0 ? pairs : undefined,
        reads: NAME_FIELDS,
        confirm: (identity) => nameHoldsTokens(fullNameOf(identity), name),
      });
      if (request.dateOfBirth !== undefined && request.sex !== undefined) {
        out.push(...this.slkQueries(key, bits, request.name!, request.dateOfBirth, request.sex));
      }
    }
    const alias = foldedNameTokens(request.alias ?? '');
    if (alias.length > 0) {
      out.push({
        kind: 'alias',
        match: 'alias',
        bits,
        values: index.foldedNameQuery(key, INDEX_NAME.alias, alias, FULL_BITS),
        reads: ['alias'],
        confirm: (identity) =>
          identity.alias !== undefined && nameHoldsTokens(identity.alias, alias),
      });
    }
    if (request.phone !== undefined && request.phone.trim() !== '') {
      const phone = request.phone;
      out.push({
        kind: 'phone',
        match: 'phone',
        bits,
        values: [index.value(key, INDEX_NAME.phone, 'phone', phone, FULL_BITS)],
        reads: ['phone'],
        confirm: (identity) =>
          identity.phone !== undefined &&
          normaliseValue(identity.phone, NORMALISATION_VERSION, 'phone') ===
            normaliseValue(phone, NORMALISATION_VERSION, 'phone'),
      });
    }
    return out;
  }

  /** Free text may be either part of the name first: every split is one SLK candidate. */
  private slkQueries(
    key: SecretKey,
    bits: number,
    name: string,
    dateOfBirth: string,
    sex: SlkSex,
  ): IndexQuery[] {
    const parts = name.trim().split(/\s+/u);
    const values = new Set<number>();
    for (let i = 0; i < parts.length && parts.length <= 6; i++) {
      const given = parts.filter((_, j) => j !== i).join(' ');
      const value = this.slk(key, {
        familyName: parts[i]!,
        givenName: given === '' ? undefined : given,
        dateOfBirth,
        sex,
      });
      if (value !== null) values.add(value);
    }
    return [...values].map((value) => ({
      kind: 'slk',
      match: 'slk',
      bits,
      values: [value],
      reads: [...NAME_FIELDS, 'dateOfBirth', 'sex'],
      // Confirmed by the person's own SLK, recomputed from their decrypted identity.
      confirm: (identity: Identity) =>
        identity.dateOfBirth === dateOfBirth &&
        identity.sex === sex &&
        this.slk(key, identity) === value,
    }));
  }

  /** The SLK-581 value at 32 bits, when date of birth, sex and at least one name are known. */
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
}

/** The name parts of an identity (given and family name), as stored. */
export function namePartsOf(identity: Identity): string[] {
  return [identity.givenName, identity.familyName].filter(
    (v): v is string => v !== undefined && v.trim() !== '',
  );
}

function fullNameOf(identity: Identity): string {
  return [identity.givenName, identity.familyName].filter((v) => v !== undefined).join(' ');
}
