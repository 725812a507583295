import { Injectable } from '@nestjs/common';
import { PersonLookupQueries } from '../../data/persons/person-lookup.queries';
import type { Tx } from '../../infra/database/transaction';
import { IdentityVault } from './identity-vault';
import { PersonIndexer } from './person-indexer';

/** Where a re-index batch stopped, and what it did. */
export interface ReindexBatch {
  /** The last person looked at (the next batch starts after it), or null when none was left. */
  readonly last: string | null;
  readonly people: number;
  readonly rows: number;
}

/** The smallest uuid: a re-index starts after it. */
export const REINDEX_START = '00000000-0000-0000-0000-000000000000';

/**
 * The similar-name re-index (ADR 0010): people indexed before the similar-name rows existed get
 * them from their decrypted name, a batch at a time in the caller's transaction, in id order
 * from `after`. SQL cannot do it (the rows need the index key and the plaintext name), so the
 * operator runs `harbour reindex-names`; a person whose identity is saved again is re-indexed
 * by the save itself. Decryption here records no access event: nothing is shown to anyone,
 * exactly as a lookup's candidate confirmation.
 */
@Injectable()
export class SimilarNameReindex {
  constructor(
    private readonly vault: IdentityVault,
    private readonly indexer: PersonIndexer,
    private readonly lookups: PersonLookupQueries,
  ) {}

  async batch(tx: Tx, organisationId: string, after: string, limit = 500): Promise<ReindexBatch> {
    const people = await this.lookups.withoutSimilarName(tx, organisationId, after, limit);
    let rows = 0;
    for (const personId of people) {
      const { identity } = await this.vault.read(tx, organisationId, personId);
      rows += await this.indexer.writeSimilarName(tx, organisationId, personId, identity);
    }
    return { last: people.at(-1) ?? null, people: people.length, rows };
  }

  /** Every batch, each in its own transaction through `run`; returns the totals. */
  async all(
    run: <T>(work: (tx: Tx) => Promise<T>) => Promise<T>,
    organisationId: string,
    onBatch: (batch: ReindexBatch) => void = () => undefined,
  ): Promise<{ people: number; rows: number }> {
    let after = REINDEX_START;
    let people = 0;
    let rows = 0;
    for (;;) {
      const batch = await run((tx) => this.batch(tx, organisationId, after));
      if (batch.last === null) return { people, rows };
      people += batch.people;
      rows += batch.rows;
      after = batch.last;
      onBatch(batch);
    }
  }
}
