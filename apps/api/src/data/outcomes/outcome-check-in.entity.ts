import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { PersonEntity } from '../persons/person.entity';
import { CreatedAtColumn } from '../record-columns';
import { sameOrganisation, TenantChildRecord } from '../tenant-entity';

/** A rating column: 1 to 5, or null when the domain was not discussed. */
const rated = (column: string) => `"${column}" IS NULL OR "${column}" BETWEEN 1 AND 5`;

/**
 * One outcome check-in (docs/design.md §3): the person's own rating of each area of life, with
 * their worker, on one day. Class C only — a date and six small numbers, no identity and no free
 * text — so it needs no key. A column per domain (null: not discussed), so the report reads a
 * check-in in one row. Insert-only: a check-in is what the person said that day.
 */
@Entity({ name: 'outcome_check_in' })
@Index('outcome_check_in_person', ['organisationId', 'personId', 'checkedOn'])
@Index('outcome_check_in_organisation_created', ['organisationId', 'createdAt'])
@Check('outcome_check_in_safety', rated('safety'))
@Check('outcome_check_in_legal_status', rated('legal_status'))
@Check('outcome_check_in_health_wellbeing', rated('health_wellbeing'))
@Check('outcome_check_in_work_money', rated('work_money'))
@Check('outcome_check_in_housing', rated('housing'))
@Check('outcome_check_in_social_support', rated('social_support'))
@Check(
  'outcome_check_in_something_rated',
  `num_nonnulls("safety", "legal_status", "health_wellbeing", "work_money", "housing", "social_support") > 0`,
)
export class OutcomeCheckInEntity extends TenantChildRecord {
  @Column({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @Column({ name: 'checked_on', type: 'date' })
  checkedOn!: string;

  @Column({ type: 'smallint', nullable: true })
  safety!: number | null;

  @Column({ name: 'legal_status', type: 'smallint', nullable: true })
  legalStatus!: number | null;

  @Column({ name: 'health_wellbeing', type: 'smallint', nullable: true })
  healthWellbeing!: number | null;

  @Column({ name: 'work_money', type: 'smallint', nullable: true })
  workMoney!: number | null;

  @Column({ type: 'smallint', nullable: true })
  housing!: number | null;

  @Column({ name: 'social_support', type: 'smallint', nullable: true })
  socialSupport!: number | null;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @CreatedAtColumn()
  createdAt!: Date;

  @ManyToOne(() => PersonEntity, { onDelete: 'CASCADE' })
  @JoinColumn(sameOrganisation('person_id'))
  person?: PersonEntity;
}
