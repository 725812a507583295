import { NEED_CATEGORIES, NEED_PRIORITIES, NEED_STATUSES } from '@harbour/domain';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { sqlList } from '../../infra/database/sql-list';
import { PersonEntity } from '../persons/person.entity';
import { sameOrganisation, EditableChildRecord } from '../tenant-entity';
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
export class SupportNeedEntity extends EditableChildRecord {
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

  @ManyToOne(() => PersonEntity, { onDelete: 'RESTRICT' })
  @JoinColumn(sameOrganisation('person_id'))
  person?: PersonEntity;

  @ManyToOne(() => ContactEntity, { onDelete: 'RESTRICT' })
  @JoinColumn(sameOrganisation('contact_id'))
  contact?: ContactEntity;
}
