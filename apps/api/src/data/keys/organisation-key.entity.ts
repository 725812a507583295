import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TenantEntity } from '../tenant-entity';
import { CreatedAtColumn } from '../record-columns';

/**
 * The keyring: every key of an organisation, wrapped (docs/design.md §5). The KEK is wrapped by the
 * key provider's master key; data, person and index keys by the KEK. A destroyed key keeps its
 * row (and id) but loses its material.
 */
@Entity({ name: 'organisation_key' })
@Index('organisation_key_person', ['organisationId', 'subjectId'], {
  where: `"purpose" = 'person_data'`,
})
@Index('organisation_key_retired', ['destroyAfter'], { where: `"status" = 'retired'` })
@Index('organisation_key_wrapping', ['organisationId', 'wrappingKeyId', 'keyId'], {
  where: `"wrapped" IS NOT NULL`,
})
@Check(
  'organisation_key_purpose',
  `"purpose" IN ('kek', 'organisation_data', 'person_data', 'index')`,
)
@Check('organisation_key_status', `"status" IN ('active', 'decrypt_only', 'retired', 'destroyed')`)
@Check('organisation_key_id_range', `"key_id" >= 1`)
@Check(
  'organisation_key_material',
  `("status" = 'destroyed') = ("wrapped" IS NULL) AND ("wrapped" IS NULL OR (octet_length("wrapped") >= 46 AND get_byte("wrapped", 0) = 1))`,
)
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

  @Column({ type: 'bytea', nullable: true })
  wrapped!: Buffer | null;

  @Column({ name: 'wrapping_key_id', type: 'integer' })
  wrappingKeyId!: number;

  /** The key provider id (for the KEK) or `kek`. */
  @Column({ name: 'wrapped_by', type: 'text' })
  wrappedBy!: string;

  @CreatedAtColumn()
  createdAt!: Date;

  /** When a rotated-out data key was found unused and retired (it then unwraps nothing). */
  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt!: Date | null;

  /** When a retired key's material is destroyed: once no backup the keyring keeps needs it. */
  @Column({ name: 'destroy_after', type: 'timestamptz', nullable: true })
  destroyAfter!: Date | null;
}

/** The columns of a keyring row that `KeyringService.personKeyFromRow` checks and unwraps. */
export type PersonKeyRow = Pick<
  OrganisationKeyEntity,
  'purpose' | 'subjectId' | 'status' | 'wrappingKeyId' | 'wrapped'
>;
