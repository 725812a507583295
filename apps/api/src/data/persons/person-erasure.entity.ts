import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { sameOrganisation, TenantRecord } from '../tenant-entity';
import { PersonEntity } from './person.entity';

/**
 * The receipt of one erasure, kept so it can be downloaded again later: which identity fields
 * were removed (names, never values), the counts, when, and until when a keyring backup could
 * still hold the destroyed key. Insert-only; no identity, ever.
 */
@Entity({ name: 'person_erasure' })
@Index('person_erasure_person', ['organisationId', 'personId'], { unique: true })
@Check(
  'person_erasure_counts',
  `"index_entries_removed" >= 0 AND "keys_destroyed" >= 0 AND "notes_shredded" >= 0`,
)
@Check(
  'person_erasure_follow_ups_cancelled',
  `"follow_ups_cancelled" IS NULL OR "follow_ups_cancelled" >= 0`,
)
export class PersonErasureEntity extends TenantRecord {
  @Column({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @Column({ name: 'identity_fields', type: 'text', array: true })
  identityFields!: string[];

  @Column({ name: 'index_entries_removed', type: 'integer' })
  indexEntriesRemoved!: number;

  @Column({ name: 'keys_destroyed', type: 'integer' })
  keysDestroyed!: number;

  @Column({ name: 'notes_shredded', type: 'integer' })
  notesShredded!: number;

  /** Open follow-ups the erasure cancelled; null on receipts kept before it was counted. */
  @Column({ name: 'follow_ups_cancelled', type: 'integer', nullable: true })
  followUpsCancelled!: number | null;

  @Column({ name: 'erased_at', type: 'timestamptz' })
  erasedAt!: Date;

  @Column({ name: 'backups_clear_at', type: 'timestamptz' })
  backupsClearAt!: Date;

  @ManyToOne(() => PersonEntity, { onDelete: 'RESTRICT' })
  @JoinColumn(sameOrganisation('person_id'))
  person?: PersonEntity;
}
