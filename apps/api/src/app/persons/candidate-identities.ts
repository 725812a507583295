import type { IdentityField } from '@harbour/domain';
import type { Identity } from '../../core/records/identity';
import type { IdentityVault } from '../../core/records/identity-vault';
import type { Candidate } from '../../data/persons/lookup-candidate';
import type { Tx } from '../../infra/database/transaction';

/**
 * The identities of one lookup's candidates, decrypted field by field as the lookup compares
 * them: a name is confirmed on the names alone, a phone on the phone, so a candidate's date of
 * birth, sex, phone or alias is opened only when something compares it. A field is decrypted at
 * most once per candidate, however many of the lookup's queries find them.
 */
export class CandidateIdentities {
  readonly #opened = new Map<string, { identity: Identity; fields: Set<IdentityField> }>();

  constructor(
    private readonly vault: IdentityVault,
    private readonly tx: Tx,
    private readonly organisationId: string,
  ) {}

  /** Whether anything of `personId` has been read yet. */
  has(personId: string): boolean {
    return this.#opened.has(personId);
  }

  /** The candidate's identity with at least `fields` read (those it holds). */
  async read(candidate: Candidate, fields: readonly IdentityField[]): Promise<Identity> {
    let entry = this.#opened.get(candidate.personId);
    if (entry === undefined) {
      entry = { identity: {}, fields: new Set() };
      this.#opened.set(candidate.personId, entry);
    }
    const missing = fields.filter((f) => !entry.fields.has(f));
    if (missing.length > 0 && candidate.identity !== null) {
      const opened = await this.vault.decryptCandidate(
        this.tx,
        this.organisationId,
        candidate.personId,
        candidate.identity,
        missing,
      );
      Object.assign(entry.identity, opened);
    }
    for (const f of missing) entry.fields.add(f);
    return entry.identity;
  }
}
