import { AMENDABLE_CONTACT_FIELDS } from '@harbour/domain';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { sqlList } from '../../infra/database/sql-list';
import { PersonEntity } from '../persons/person.entity';
import { CreatedAtColumn } from '../record-columns';
import { sameOrganisation, TenantRecord } from '../tenant-entity';
import { ContactEntity } from './contact.entity';

/**
 * A correction of a contact, appended beside it (contacts are never rewritten): why, and the
 * corrected values of the fields it names. The reason and the corrected notes are class B,
 * sealed under the person's own data key like the contact's notes and bound to this row, so
 * erasing the person shreds them too. `person_id` is the contact's person (only a person's
 * contact can be amended), so everything that follows a person (erasure, merge) finds these
 * rows. Insert-only: the API role may not update or delete them.
 */
@Entity({ name: 'contact_amendment' })
@Index('contact_amendment_contact', ['organisationId', 'contactId', 'createdAt'])
@Index('contact_amendment_person', ['organisationId', 'personId'])
@Check(
  'contact_amendment_reason_envelope',
  `octet_length("reason") >= 46 AND get_byte("reason", 0) = 1`,
)
@Check(
  'contact_amendment_notes_envelope',
  `"notes" IS NULL OR (octet_length("notes") >= 46 AND get_byte("notes", 0) = 1)`,
)
@Check(
  'contact_amendment_fields',
  `cardinality("fields") >= 1 AND "fields" <@ ARRAY[${sqlList(AMENDABLE_CONTACT_FIELDS)}]::text[]`,
)
export class ContactAmendmentEntity extends TenantRecord {
  @Column({ name: 'contact_id', type: 'uuid' })
  contactId!: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId!: string;

  /** Which fields this amendment corrects (their names). */
  @Column({ type: 'text', array: true })
  fields!: string[];

  @Column({ type: 'bytea' })
  reason!: Buffer;

  /** The corrected notes when `fields` names them; null there means the notes were withdrawn. */
  @Column({ type: 'bytea', nullable: true })
  notes!: Buffer | null;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @CreatedAtColumn()
  createdAt!: Date;

  @ManyToOne(() => ContactEntity, { onDelete: 'RESTRICT' })
  @JoinColumn(sameOrganisation('contact_id'))
  contact?: ContactEntity;

  @ManyToOne(() => PersonEntity, { onDelete: 'RESTRICT' })
  @JoinColumn(sameOrganisation('person_id'))
  person?: PersonEntity;
}
