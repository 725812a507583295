import { NEED_CATEGORIES, NEED_PRIORITIES, NEED_STATUSES } from '@harbour/domain';
import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import { sqlList } from '../../infra/database/sql-list';
import { PersonEntity } from '../persons/person.entity';
import { ContactEntity } from './contact.entity';

/** A support need of a person, or noted on an anonymous contact (docs/design.md §3). */
@Entity({ name: 'support_need' })
@Index('support_need_person', ['organisationId', 'personId'])
@Index('support_need_contact', ['organisationId', 'contactId'])
@Index('support_need_organisation_created', ['organisationId', 'createdAt'])
@Check('support_need_subject', `"person_id" IS NOT NULL OR "contact_id" IS NOT NULL`)
@Check('support_need_category', `"category" IN (${sqlList(NEED_CATEGORIES)})`)
@Check('support_need_priority', `"priority" IN (${sqlList(NEED_PRIORITIES)})`)
@Check('support_need_status', `"status" IN (${sqlList(NEED_STATUSES)})`)
@Check('support_need_closed', `("closed_on" IS NULL) = ("status" IN ('identified', 'in_progress'))`)
export class SupportNeedEntity {
  @PrimaryColumn({
    name: 'organisation_id',
    type: 'uuid',
    primaryKeyConstraintName: 'support_need_pkey',
  })
  organisationId!: string;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'support_need_pkey' })
  id!: string;

  @Column({ name: 'person_id', type: 'uuid', nullable: true })
  personId!: string | null;

  @Column({ name: 'contact_id', type: 'uuid', nullable: true })
  contactId!: string | null;

  @Column({ type: 'text' })
  category!: string;

  @Column({ type: 'text', default: 'medium' })
  priority!: string;

  @Column({ type: 'text', default: 'identified' })
  status!: string;

  @Column({ name: 'identified_on', type: 'date' })
  identifiedOn!: string;

  @Column({ name: 'closed_on', type: 'date', nullable: true })
  closedOn!: string | null;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @VersionColumn({ type: 'integer', default: 1 })
  version!: number;

  @ManyToOne(() => PersonEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    {
      name: 'organisation_id',
      referencedColumnName: 'organisationId',
      foreignKeyConstraintName: 'support_need_person_fk',
    },
    {
      name: 'person_id',
      referencedColumnName: 'id',
      foreignKeyConstraintName: 'support_need_person_fk',
    },
  ])
  person?: PersonEntity;

  @ManyToOne(() => ContactEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    {
      name: 'organisation_id',
      referencedColumnName: 'organisationId',
      foreignKeyConstraintName: 'support_need_contact_fk',
    },
    {
      name: 'contact_id',
      referencedColumnName: 'id',
      foreignKeyConstraintName: 'support_need_contact_fk',
    },
  ])
  contact?: ContactEntity;
}
