import {
  CIRCUMSTANCES,
  CONTACT_CHANNELS,
  LANGUAGE_GROUPS,
  LOCATION_TYPES,
  MAX_GROUP_HEADCOUNT,
} from '@harbour/domain';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { sqlList } from '../../infra/database/sql-list';
import { PersonEntity } from '../persons/person.entity';
import { sameOrganisation, TenantRecord } from '../tenant-entity';
import { CreatedAtColumn, VersionNumberColumn } from '../record-columns';

/**
 * One interaction (docs/design.md §3): individual (with zero or one person) or a group of anonymous
 * people counted by headcount. Class C columns for reporting; notes are class B, encrypted under
 * the organisation's data key and bound to this row (CHECK: an envelope or nothing).
 */
@Entity({ name: 'contact' })
@Index('contact_recent', ['organisationId', 'occurredOn', 'id'])
@Index('contact_person', ['organisationId', 'personId'])
@Index('contact_organisation_created', ['organisationId', 'createdAt'])
@Check('contact_kind', `"kind" IN ('individual', 'group')`)
@Check(
  'contact_headcount',
  `("kind" = 'individual' AND "headcount" = 1) OR ("kind" = 'group' AND "person_id" IS NULL AND "headcount" BETWEEN 2 AND ${MAX_GROUP_HEADCOUNT})`,
)
@Check('contact_channel', `"channel" IN (${sqlList(CONTACT_CHANNELS)})`)
@Check('contact_location_type', `"location_type" IN (${sqlList(LOCATION_TYPES)})`)
@Check(
  'contact_language_group',
  `"language_group" IS NULL OR "language_group" IN (${sqlList(LANGUAGE_GROUPS)})`,
)
@Check('contact_circumstances', `"circumstances" <@ ARRAY[${sqlList(CIRCUMSTANCES)}]::text[]`)
@Check(
  'contact_notes_envelope',
  `"notes" IS NULL OR (octet_length("notes") >= 46 AND get_byte("notes", 0) = 1)`,
)
export class ContactEntity extends TenantRecord {
  @Column({ type: 'text' })
  kind!: string;

  @Column({ name: 'person_id', type: 'uuid', nullable: true })
  personId!: string | null;

  @Column({ type: 'integer', default: 1 })
  headcount!: number;

  @Column({ name: 'occurred_on', type: 'date' })
  occurredOn!: string;

  @Column({ type: 'text' })
  channel!: string;

  @Column({ name: 'location_type', type: 'text' })
  locationType!: string;

  @Column({ name: 'language_group', type: 'text', nullable: true })
  languageGroup!: string | null;

  @Column({ name: 'interpreter_used', type: 'boolean', default: false })
  interpreterUsed!: boolean;

  @Column({ name: 'peer_led', type: 'boolean', default: false })
  peerLed!: boolean;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  circumstances!: string[];

  @Column({ type: 'bytea', nullable: true })
  notes!: Buffer | null;

  @Column({ name: 'caseworker_id', type: 'uuid' })
  caseworkerId!: string;

  @CreatedAtColumn()
  createdAt!: Date;

  @VersionNumberColumn()
  version!: number;

  @ManyToOne(() => PersonEntity, { onDelete: 'RESTRICT' })
  @JoinColumn(sameOrganisation('person_id'))
  person?: PersonEntity;
}
