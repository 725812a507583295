import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { StaffUserEntity } from '../staff/staff-user.entity';
import { sameOrganisation, TenantRecord } from '../tenant-entity';

/**
 * A hand-over of people from one key worker to another, by a coordinator: who, to whom, which
 * people (pseudonymous ids) and when. Insert-only: the record of who held a case stays.
 */
@Entity({ name: 'key_worker_handover' })
@Index('key_worker_handover_from', ['organisationId', 'fromStaffId'])
@Check('key_worker_handover_distinct', `"from_staff_id" <> "to_staff_id"`)
@Check('key_worker_handover_count', `"person_count" = cardinality("person_ids")`)
export class KeyWorkerHandoverEntity extends TenantRecord {
  @Column({ name: 'from_staff_id', type: 'uuid' })
  fromStaffId!: string;

  @Column({ name: 'to_staff_id', type: 'uuid' })
  toStaffId!: string;

  @Column({ name: 'person_ids', type: 'uuid', array: true })
  personIds!: string[];

  @Column({ name: 'person_count', type: 'integer' })
  personCount!: number;

  @Column({ name: 'handed_by', type: 'uuid' })
  handedBy!: string;

  @Column({ name: 'handed_at', type: 'timestamptz' })
  handedAt!: Date;

  @ManyToOne(() => StaffUserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn(sameOrganisation('from_staff_id'))
  fromStaff?: StaffUserEntity;

  @ManyToOne(() => StaffUserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn(sameOrganisation('to_staff_id'))
  toStaff?: StaffUserEntity;
}
