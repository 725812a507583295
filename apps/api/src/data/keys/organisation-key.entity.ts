import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TenantEntity } from '../tenant-entity';
import { CreatedAtColumn } from '../record-columns';

/**
 * The keyring's catalogue: every key of an organisation — its purpose, subject, status and dates
 * (docs/design.md §5). The material (wrapped: the KEK by the key provider's master key, data,
 * person, index and audit keys by a KEK) lives in the keyring database, never here
 * (`KeyMaterialStore`). A destroyed key keeps its row (and id) here and has no material there.
 */
@Entity({ name: 'organisation_key' })
@Index('organisation_key_person', ['organisationId', 'subjectId'], {
  where: `"purpose" = 'person_data'`,
})
@Index('organisation_key_retired', ['destroyAfter'], { where: `"status" = 'retired'` })
@Check(
  'organisation_key_purpose',
  `"purpose" IN ('kek', 'organisation_data', 'person_data', 'index')`,
)
@Check('organisation_key_status', `"status" IN ('active', 'decrypt_only', 'retired', 'destroyed')`)
@Check('organisation_key_id_range', `"key_id" >= 1`)
@Check('organisation_key_subject', `("purpose" = 'person_data') = ("subject_id" IS NOT NULL)`)
export class OrganisationKeyEntity extends TenantEntity {
  @PrimaryColumn({ name: 'key_id', type: 'integer' })
  keyId!: number;

  @Column({ type: 'text' })
  purpose!: string;

  @Column({ name: 'subject_id', type: 'uuid', nullable: true })
  subjectId!: string | null;

  @Column({ type: 'text' })
  status!: string;

  @CreatedAtColumn()
  createdAt!: Date;

  /** When a rotated-out data key was found unused and retired (it then unwraps nothing). */
  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt!: Date | null;

  /** When a retired key's material is destroyed: once no backup the keyring keeps needs it. */
  @Column({ name: 'destroy_after', type: 'timestamptz', nullable: true })
  destroyAfter!: Date | null;
}

/**
 * A key as the keyring knows it: its catalogue row here and its material in the keyring database
 * (`wrapped` null when there is none: destroyed, or never stored).
 */
export interface KeyRow {
  readonly purpose: string;
  readonly subjectId: string | null;
  readonly status: string;
  readonly wrappingKeyId: number;
  readonly wrappedBy: string;
  readonly wrapped: Buffer | null;
}

/** The parts of a key that `KeyringService.personKeyFromRow` checks and unwraps. */
export type PersonKeyRow = Pick<
  KeyRow,
  'purpose' | 'subjectId' | 'status' | 'wrappingKeyId' | 'wrapped'
>;
