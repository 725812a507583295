import { Inject, Injectable } from '@nestjs/common';
import { DecryptionError, KeyError, type HarbourCrypto, type SecretKey } from '@harbour/crypto';
import { IDENTITY_FIELDS, type IdentityField } from '@harbour/domain';
import type { CandidateColumns, CandidateIdentity } from '../../data/persons/lookup-candidate';
import { PersonsRepository, type SealedIdentity } from '../../data/persons/persons.repository';
import { HARBOUR_CRYPTO } from '../../infra/crypto/crypto.module';
import type { Tx } from '../../infra/database/transaction';
import { KeyringService } from '../keyring/keyring.service';
import { COLUMN_OF, PROPERTY_OF, type Identity } from './identity';
import { IdentityIntegrityError } from './person.errors';

/**
 * Field encryption of a person's identity (docs/design.md §5): each field is sealed under the
 * person's own key, bound to its place (organisation, table, column, person), and opened only
 * here. Any failure to unwrap the key or open a field — a ciphertext or key id copied from
 * another person, a corrupted value — is an integrity failure: nothing is returned.
 */
@Injectable()
export class IdentityVault {
  constructor(
    private readonly keyring: KeyringService,
    private readonly persons: PersonsRepository,
    @Inject(HARBOUR_CRYPTO) private readonly crypto: HarbourCrypto,
  ) {}

  /** Encrypts every given field of `identity` under `key`; absent fields are null. */
  seal(
    key: SecretKey,
    organisationId: string,
    personId: string,
    identity: Identity,
  ): SealedIdentity {
    const out: Record<keyof SealedIdentity, Buffer | null> = {
      givenName: null,
      familyName: null,
      alias: null,
      dateOfBirth: null,
      sex: null,
      phone: null,
    };
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
    return out;
  }

  /** The decrypted identity of a person (empty when none is held) and the key it is under. */
  async read(
    tx: Tx,
    organisationId: string,
    personId: string,
  ): Promise<{ identity: Identity; key: SecretKey | null }> {
    const row = await this.persons.identity(tx, organisationId, personId);
    if (row === null) return { identity: {}, key: null };
    return this.guardIntegrity(personId, async () => {
      const key = await this.keyring.personKey(tx, organisationId, row.keyId, personId);
      return { identity: this.open(key, organisationId, personId, row), key };
    });
  }

  /** Whether this instance holds person `personId`'s key `keyId` unwrapped now. */
  holdsKey(organisationId: string, keyId: number, personId: string): boolean {
    return this.keyring.holdsPersonKey(organisationId, keyId, personId);
  }

  /**
   * `read` for an identity row read with its keyring row (a lookup candidate), opening only
   * `fields` (all by default): a lookup decrypts what it compares, nothing more.
   */
  decryptCandidate(
    tx: Tx,
    organisationId: string,
    personId: string,
    row: CandidateIdentity,
    fields: readonly IdentityField[] = IDENTITY_FIELDS,
  ): Promise<Identity> {
    return this.guardIntegrity(personId, async () => {
      const key = await this.keyring.personKeyFromRow(
        tx,
        organisationId,
        row.keyId,
        personId,
        row.keyRow,
      );
      return this.open(key, organisationId, personId, row.columns, fields);
    });
  }

  private open(
    key: SecretKey,
    organisationId: string,
    personId: string,
    row: CandidateColumns,
    fields: readonly IdentityField[] = IDENTITY_FIELDS,
  ): Identity {
    const identity: Identity = {};
    for (const field of fields) {
      const column = COLUMN_OF[field];
      const ciphertext = row[PROPERTY_OF[column]];
      if (ciphertext === null) continue;
      const place = { organisationId, table: 'person_identity', column, rowId: personId };
      const text = this.crypto.decryptText(key, place, new Uint8Array(ciphertext)).reveal();
      (identity as Record<string, string>)[field] = text;
    }
    return identity;
  }

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
}
