import { Inject, Injectable } from '@nestjs/common';
import { DecryptionError, KeyError, type HarbourCrypto } from '@harbour/crypto';
import {
  MIN_AMENDMENT_REASON_LENGTH,
  uuidv7,
  type AmendableContactField,
  type AmendContactRequest,
  type ContactAmendmentView,
} from '@harbour/domain';
import type { ContactEntity } from '../../data/contacts/contact.entity';
import {
  ContactAmendmentsRepository,
  type ContactAmendmentRow,
} from '../../data/contacts/contact-amendments.repository';
import { ContactsRepository } from '../../data/contacts/contacts.repository';
import { HARBOUR_CRYPTO } from '../../infra/crypto/crypto.module';
import type { Tx } from '../../infra/database/transaction';
import {
  IntegrityError,
  NotFoundError,
  ValidationFailedError,
} from '../../infra/http/domain-error';
import { KeyringService } from '../keyring/keyring.service';
import type { SignedInScope } from '../scope/request-scope';
import { ContactNotAmendableError } from './contact.errors';
import { PersonErasedError } from './person.errors';

/** The access-log name of an amendment's reason (a field name, never its words). */
export const AMENDMENT_REASON_FIELD = 'amendment.reason';

/** Where an amendment's reason and corrected notes are bound when encrypted. */
export function amendmentPlace(organisationId: string, amendmentId: string, column: string) {
  return { organisationId, table: 'contact_amendment', column, rowId: amendmentId };
}

/** A contact's amendments opened: the current notes (when corrected) and each amendment. */
export interface OpenedAmendments {
  /** Undefined when no amendment corrected the notes (the contact's own notes stand). */
  readonly notes?: string | null;
  readonly amendments: ContactAmendmentView[];
}

/**
 * Corrections of contacts without losing history (issue 17): a contact row is never rewritten;
 * an amendment appended beside it says why (a reason of at least a few words) and holds the
 * corrected values, both sealed under the contact's person's own key, so erasing the person
 * shreds them with the contact's notes. The original stays in the contact row, and the access
 * log names the contact and the fields, never the words.
 */
@Injectable()
export class ContactAmendments {
  constructor(
    private readonly amendments: ContactAmendmentsRepository,
    private readonly contacts: ContactsRepository,
    private readonly keyring: KeyringService,
    @Inject(HARBOUR_CRYPTO) private readonly crypto: HarbourCrypto,
  ) {}

  /** Appends an amendment to contact `contactId`; nothing is written when anything is refused. */
  async amend(
    scope: SignedInScope,
    contactId: string,
    request: AmendContactRequest,
  ): Promise<void> {
    const { tx, organisationId, principal } = scope;
    const reason = request.reason.trim();
    if (reason.length < MIN_AMENDMENT_REASON_LENGTH) {
      throw new ValidationFailedError([
        { path: 'reason', reason: 'minLength', limits: { minLength: MIN_AMENDMENT_REASON_LENGTH } },
      ]);
    }
    const contact = await this.contacts.find(tx, organisationId, contactId);
    if (contact === null) throw new NotFoundError();
    if (contact.personId === null) throw new ContactNotAmendableError();
    const person = await this.contacts.personAndKey(tx, organisationId, contact.personId);
    if (person === undefined) throw new NotFoundError();
    scope.note({ resourceIds: [contactId, person.code] });
    if (person.erased) throw new PersonErasedError();

    const fields: AmendableContactField[] = ['notes'];
    const notes = request.notes?.trim() ?? '';
    const id = uuidv7();
    const key = await this.keyring.personKeyFor(tx, organisationId, contact.personId);
    const seal = (column: string, text: string): Buffer =>
      Buffer.from(this.crypto.encryptField(key, amendmentPlace(organisationId, id, column), text));
    await this.amendments.insert(tx, {
      organisationId,
      id,
      contactId,
      personId: contact.personId,
      fields,
      reason: seal('reason', reason),
      notes: notes === '' ? null : seal('notes', notes),
      createdBy: principal.userId,
    });
    scope.note({ fields: [...fields, AMENDMENT_REASON_FIELD] });
  }

  /**
   * The contact's amendments with their words decrypted (null for all of them when the person
   * was erased: their key is gone). The caller records the read as an access event.
   */
  async open(
    tx: Tx,
    organisationId: string,
    contact: ContactEntity,
    personErased: boolean,
  ): Promise<OpenedAmendments> {
    const rows = await this.amendments.ofContact(tx, organisationId, contact.id);
    if (rows.length === 0) return { amendments: [] };
    // The caller (ContactsService.get) has already asked PersonAccess: a restricted person's
    // amendments are opened for their key workers and coordinators only.
    const readable = !personErased && contact.personId !== null;
    const open = async (row: ContactAmendmentRow, column: string, value: Buffer | null) => {
      if (value === null || !readable) return null;
      const ciphertext = new Uint8Array(value);
      try {
        const key = await this.keyring.keyForField(
          tx,
          organisationId,
          ciphertext,
          contact.personId,
        );
        const place = amendmentPlace(organisationId, row.id, column);
        return this.crypto.decryptText(key, place, ciphertext).reveal();
      } catch (error) {
        if (error instanceof DecryptionError || error instanceof KeyError) {
          throw new IntegrityError([contact.id, row.id]);
        }
        throw error;
      }
    };
    const amendments: ContactAmendmentView[] = [];
    let notes: string | null | undefined;
    for (const row of rows) {
      amendments.push({
        id: row.id,
        createdBy: row.created_by,
        createdAt: row.created_at.toISOString(),
        fields: row.fields as AmendableContactField[],
        reason: await open(row, 'reason', row.reason),
      });
      if (row.fields.includes('notes')) notes = await open(row, 'notes', row.notes);
    }
    return notes === undefined ? { amendments } : { notes, amendments };
  }
}
