import { DISCLOSURE_AUTHORITIES, DISCLOSURE_STATUSES } from '@harbour/domain';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { sqlList } from '../../infra/database/sql-list';
import { StaffUserEntity } from '../staff/staff-user.entity';
import { EditableRecord, sameOrganisation } from '../tenant-entity';

const envelope = (column: string): string =>
  `"${column}" IS NULL OR (octet_length("${column}") >= 46 AND get_byte("${column}", 0) = 1)`;

/**
 * A request from outside (police, immigration, a court …) for data about people, and what the
 * organisation did about it (docs/design.md §9). Who asks, the legal instrument, the legal advice
 * and a refusal's reason are sealed under the organisation's data key (class B, CHECK: an
 * envelope); the people are rows of `disclosure_request_person`, the approvals rows of
 * `disclosure_approval`, the produced file the row of `disclosure_file`.
 */
@Entity({ name: 'disclosure_request' })
@Index('disclosure_request_recent', ['organisationId', 'createdAt'])
@Check('disclosure_request_status', `"status" IN (${sqlList(DISCLOSURE_STATUSES)})`)
@Check('disclosure_request_authority', `"authority" IN (${sqlList(DISCLOSURE_AUTHORITIES)})`)
@Check('disclosure_request_requester_envelope', envelope('requester'))
@Check('disclosure_request_legal_instrument_envelope', envelope('legal_instrument'))
@Check('disclosure_request_legal_advice_envelope', envelope('legal_advice'))
@Check('disclosure_request_refusal_reason_envelope', envelope('refusal_reason'))
@Check('disclosure_request_period', `"period_from" <= "period_to"`)
@Check('disclosure_request_fields', `cardinality("fields") >= 1`)
@Check(
  'disclosure_request_refused',
  `("status" IN ('refused', 'closed')) OR "refusal_reason" IS NULL`,
)
@Check(
  'disclosure_request_disclosed',
  `("disclosed_at" IS NULL) = ("disclosed_by" IS NULL) AND ("status" NOT IN ('disclosed') OR "disclosed_at" IS NOT NULL)`,
)
export class DisclosureRequestEntity extends EditableRecord {
  @Column({ type: 'text', default: 'recorded' })
  status!: string;

  @Column({ type: 'text' })
  authority!: string;

  @Column({ type: 'bytea' })
  requester!: Buffer;

  @Column({ name: 'legal_instrument', type: 'bytea' })
  legalInstrument!: Buffer;

  @Column({ name: 'legal_advice', type: 'bytea', nullable: true })
  legalAdvice!: Buffer | null;

  @Column({ name: 'refusal_reason', type: 'bytea', nullable: true })
  refusalReason!: Buffer | null;

  @Column({ name: 'period_from', type: 'date' })
  periodFrom!: string;

  @Column({ name: 'period_to', type: 'date' })
  periodTo!: string;

  @Column({ type: 'text', array: true })
  fields!: string[];

  @Column({ name: 'recorded_by', type: 'uuid' })
  recordedBy!: string;

  @Column({ name: 'reviewed_at', type: 'timestamptz', nullable: true })
  reviewedAt!: Date | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;

  @Column({ name: 'refused_by', type: 'uuid', nullable: true })
  refusedBy!: string | null;

  @Column({ name: 'disclosed_at', type: 'timestamptz', nullable: true })
  disclosedAt!: Date | null;

  @Column({ name: 'disclosed_by', type: 'uuid', nullable: true })
  disclosedBy!: string | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @ManyToOne(() => StaffUserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn(sameOrganisation('recorded_by'))
  recorder?: StaffUserEntity;
}
