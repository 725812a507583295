import { FOLLOW_UP_SOURCES, FOLLOW_UP_STATUSES } from '@harbour/domain';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { sqlList } from '../../infra/database/sql-list';
import { SupportNeedEntity } from '../contacts/support-need.entity';
import { PersonEntity } from '../persons/person.entity';
import { ReferralEntity } from '../referrals/referral.entity';
import { StaffUserEntity } from '../staff/staff-user.entity';
import { EditableRecord, sameOrganisation } from '../tenant-entity';

/**
 * A follow-up (docs/design.md §3): a dated task on a person, perhaps about one of their needs or
 * referrals, assigned to a staff member. Manual ones belong to a person and carry text sealed
 * under that person's key (class B; CHECK: an envelope); automatic ones (`stale_referral`) hang
 * off a referral, carry no text, and at most one per referral is open at a time.
 */
@Entity({ name: 'follow_up' })
@Index('follow_up_assignee_due', ['organisationId', 'assignedTo', 'status', 'dueOn'])
@Index('follow_up_person', ['organisationId', 'personId'])
@Index('follow_up_open_stale_referral', ['organisationId', 'referralId'], {
  unique: true,
  where: `"source" = 'stale_referral' AND "status" = 'open'`,
})
@Check('follow_up_status', `"status" IN (${sqlList(FOLLOW_UP_STATUSES)})`)
@Check('follow_up_source', `"source" IN (${sqlList(FOLLOW_UP_SOURCES)})`)
@Check(
  'follow_up_shape',
  `("source" = 'manual' AND "person_id" IS NOT NULL AND "text" IS NOT NULL) OR ("source" = 'stale_referral' AND "referral_id" IS NOT NULL AND "text" IS NULL)`,
)
@Check(
  'follow_up_text_envelope',
  `"text" IS NULL OR (octet_length("text") >= 46 AND get_byte("text", 0) = 1)`,
)
@Check(
  'follow_up_closed_complete',
  `("status" = 'open') = ("completed_at" IS NULL) AND ("completed_at" IS NULL) = ("completed_by" IS NULL)`,
)
@Check('follow_up_snoozed_count', `"snoozed_count" >= 0`)
export class FollowUpEntity extends EditableRecord {
  @Column({ name: 'person_id', type: 'uuid', nullable: true })
  personId!: string | null;

  @Column({ name: 'need_id', type: 'uuid', nullable: true })
  needId!: string | null;

  @Column({ name: 'referral_id', type: 'uuid', nullable: true })
  referralId!: string | null;

  @Column({ type: 'text' })
  source!: string;

  @Column({ type: 'bytea', nullable: true })
  text!: Buffer | null;

  @Column({ name: 'due_on', type: 'date' })
  dueOn!: string;

  @Column({ name: 'assigned_to', type: 'uuid' })
  assignedTo!: string;

  @Column({ type: 'text', default: 'open' })
  status!: string;

  @Column({ name: 'snoozed_count', type: 'integer', default: 0 })
  snoozedCount!: number;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  @Column({ name: 'completed_by', type: 'uuid', nullable: true })
  completedBy!: string | null;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @ManyToOne(() => PersonEntity, { onDelete: 'RESTRICT' })
  @JoinColumn(sameOrganisation('person_id'))
  person?: PersonEntity;

  @ManyToOne(() => SupportNeedEntity, { onDelete: 'RESTRICT' })
  @JoinColumn(sameOrganisation('need_id'))
  need?: SupportNeedEntity;

  @ManyToOne(() => ReferralEntity, { onDelete: 'RESTRICT' })
  @JoinColumn(sameOrganisation('referral_id'))
  referral?: ReferralEntity;

  @ManyToOne(() => StaffUserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn(sameOrganisation('assigned_to'))
  assignee?: StaffUserEntity;
}
