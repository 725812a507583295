import { REFERRAL_STATUSES } from '@harbour/domain';
import { Check, Column, Entity, JoinColumn, ManyToOne } from 'typeorm';
import { sqlList } from '../../infra/database/sql-list';
import { sameOrganisation, TenantChildRecord } from '../tenant-entity';
import { ReferralEntity } from './referral.entity';

/** One status change of a referral, with its time and actor (the referral's history). */
@Entity({ name: 'referral_event' })
@Check('referral_event_to', `"to_status" IN (${sqlList(REFERRAL_STATUSES)})`)
@Check(
  'referral_event_from',
  `"from_status" IS NULL OR "from_status" IN (${sqlList(REFERRAL_STATUSES)})`,
)
export class ReferralEventEntity extends TenantChildRecord {
  @Column({ name: 'referral_id', type: 'uuid' })
  referralId!: string;

  @Column({ name: 'from_status', type: 'text', nullable: true })
  fromStatus!: string | null;

  @Column({ name: 'to_status', type: 'text' })
  toStatus!: string;

  @Column({ name: 'actor_id', type: 'uuid' })
  actorId!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @ManyToOne(() => ReferralEntity, { onDelete: 'CASCADE' })
  @JoinColumn(sameOrganisation('referral_id'))
  referral?: ReferralEntity;
}
