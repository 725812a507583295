import { CONSENT_METHODS, CONSENT_SCOPES, REFERRAL_STATUSES } from '@harbour/domain';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { sqlList } from '../../infra/database/sql-list';
import { SupportNeedEntity } from '../contacts/support-need.entity';
import { PersonEntity } from '../persons/person.entity';
import { sameOrganisation, EditableChildRecord } from '../tenant-entity';
import { PartnerEntity } from './partner.entity';

/**
 * A need referred to a partner (docs/design.md §3). Leaving `draft` needs recorded consent (method,
 * scope, when, by whom) or a coordinator's override, whose reason is kept encrypted under the
 * organisation key. Every transition is also a `referral_event` row.
 */
@Entity({ name: 'referral' })
@Index('referral_person', ['organisationId', 'personId'])
@Index('referral_partner', ['organisationId', 'partnerId'])
@Index('referral_organisation_created', ['organisationId', 'createdAt'])
@Check('referral_status', `"status" IN (${sqlList(REFERRAL_STATUSES)})`)
@Check(
  'referral_consent_method',
  `"consent_method" IS NULL OR "consent_method" IN (${sqlList(CONSENT_METHODS)})`,
)
@Check('referral_consent_scope', `"consent_scope" <@ ARRAY[${sqlList(CONSENT_SCOPES)}]::text[]`)
@Check(
  'referral_consent_complete',
  `("consent_method" IS NULL) = ("consent_at" IS NULL) AND ("consent_method" IS NULL) = ("consent_by" IS NULL)`,
)
@Check(
  'referral_override_reason_envelope',
  `"override_reason" IS NULL OR (octet_length("override_reason") >= 46 AND get_byte("override_reason", 0) = 1)`,
)
@Check(
  'referral_left_draft_with_consent',
  `"status" IN ('draft', 'declined_by_client', 'withdrawn') OR "consent_method" IS NOT NULL OR "override_reason" IS NOT NULL`,
)
export class ReferralEntity extends EditableChildRecord {
  @Column({ name: 'need_id', type: 'uuid' })
  needId!: string;

  @Column({ name: 'person_id', type: 'uuid', nullable: true })
  personId!: string | null;

  @Column({ name: 'partner_id', type: 'uuid' })
  partnerId!: string;

  @Column({ type: 'text', default: 'draft' })
  status!: string;

  @Column({ name: 'consent_method', type: 'text', nullable: true })
  consentMethod!: string | null;

  @Column({ name: 'consent_scope', type: 'text', array: true, default: () => "'{}'" })
  consentScope!: string[];

  @Column({ name: 'consent_at', type: 'timestamptz', nullable: true })
  consentAt!: Date | null;

  @Column({ name: 'consent_by', type: 'uuid', nullable: true })
  consentBy!: string | null;

  @Column({ name: 'override_reason', type: 'bytea', nullable: true })
  overrideReason!: Buffer | null;

  @Column({ name: 'override_by', type: 'uuid', nullable: true })
  overrideBy!: string | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @ManyToOne(() => SupportNeedEntity, { onDelete: 'RESTRICT' })
  @JoinColumn(sameOrganisation('need_id'))
  need?: SupportNeedEntity;

  @ManyToOne(() => PersonEntity, { onDelete: 'RESTRICT' })
  @JoinColumn(sameOrganisation('person_id'))
  person?: PersonEntity;

  @ManyToOne(() => PartnerEntity, { onDelete: 'RESTRICT' })
  @JoinColumn(sameOrganisation('partner_id'))
  partner?: PartnerEntity;
}
