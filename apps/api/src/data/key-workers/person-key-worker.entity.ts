import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { PersonEntity } from '../persons/person.entity';
import { StaffUserEntity } from '../staff/staff-user.entity';
import { sameOrganisation, TenantScoped } from '../tenant-entity';

/**
 * A key worker of a person: a staff member with a case role who holds the person's case. Both
 * references stay inside the organisation (their keys include `organisation_id`). A restricted
 * person's identity and notes are readable only by their key workers and by coordinators
 * (`PersonAccess`, core/records). Rows are inserted and deleted, never changed.
 */
@Entity({ name: 'person_key_worker' })
@Index('person_key_worker_staff', ['organisationId', 'staffId'])
export class PersonKeyWorkerEntity extends TenantScoped {
  @PrimaryColumn({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @PrimaryColumn({ name: 'staff_id', type: 'uuid' })
  staffId!: string;

  @Column({ name: 'assigned_at', type: 'timestamptz' })
  assignedAt!: Date;

  /** Who made the assignment (the key worker themselves, a coordinator, or a hand-over). */
  @Column({ name: 'assigned_by', type: 'uuid', nullable: true })
  assignedBy!: string | null;

  @ManyToOne(() => PersonEntity, { onDelete: 'CASCADE' })
  @JoinColumn(sameOrganisation('person_id'))
  person?: PersonEntity;

  @ManyToOne(() => StaffUserEntity, { onDelete: 'CASCADE' })
  @JoinColumn(sameOrganisation('staff_id'))
  staff?: StaffUserEntity;
}
