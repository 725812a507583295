import { Check, Column, Entity, PrimaryColumn } from 'typeorm';
import { CreatedAtColumn, VersionNumberColumn } from '../record-columns';

/**
 * A tenant. Row-level security limits the application role to the organisation set for the
 * current transaction.
 */
@Entity({ name: 'organisation' })
@Check('organisation_name_length', `char_length("name") BETWEEN 1 AND 200`)
@Check('organisation_person_index_bits', `"person_index_bits" BETWEEN 8 AND 32`)
@Check('organisation_report_k', `"report_k" BETWEEN 2 AND 11`)
@Check(
  'organisation_stale_referral_days',
  `"stale_referral_days" IS NULL OR "stale_referral_days" BETWEEN 1 AND 365`,
)
export class OrganisationEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** The organisation's own name (not personal data). */
  @Column({ type: 'text' })
  name!: string;

  @CreatedAtColumn()
  createdAt!: Date;

  @VersionNumberColumn()
  version!: number;

  /**
   * Bits kept of each person blind-index value (docs/design.md §5): chosen for the organisation's
   * size so that values collide on purpose (2 ≤ rows / 2^bits ≤ √rows).
   */
  @Column({ name: 'person_index_bits', type: 'smallint', default: 16 })
  personIndexBits!: number;

  /** Reports inside the organisation publish no count from 1 to k − 1 (docs/design.md §8). */
  @Column({ name: 'report_k', type: 'smallint', default: 5 })
  reportK!: number;

  /**
   * Days a referral may wait on its partner before a follow-up is added for it; null: never
   * (automatic follow-ups off).
   */
  @Column({ name: 'stale_referral_days', type: 'smallint', nullable: true, default: 14 })
  staleReferralDays!: number | null;

  /** Set while the organisation is in lockdown (sessions revoked, reveals disabled). */
  @Column({ name: 'lockdown_at', type: 'timestamptz', nullable: true })
  lockdownAt!: Date | null;

  @Column({ name: 'lockdown_by', type: 'uuid', nullable: true })
  lockdownBy!: string | null;

  /**
   * The data key new class B values are sealed under (docs/design.md §5). Rotation moves it to
   * a new key; every transaction that asks the keyring for a key reads it.
   */
  @Column({ name: 'current_data_key_id', type: 'integer', default: 2 })
  currentDataKeyId!: number;

  /** The KEK new keys are wrapped by; rotation moves it to a new KEK. */
  @Column({ name: 'current_kek_id', type: 'integer', default: 1 })
  currentKekId!: number;
}
