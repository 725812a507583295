import { Check, Column, Entity, JoinColumn, ManyToOne, OneToOne, PrimaryColumn } from 'typeorm';
import { OrganisationKeyEntity } from '../keys/organisation-key.entity';
import { sameOrganisation, TenantScoped } from '../tenant-entity';
import { PersonEntity } from './person.entity';

/** The encrypted identity columns: every one holds a Harbour envelope or nothing. */
export const IDENTITY_COLUMNS = [
  'given_name',
  'family_name',
  'alias',
  'date_of_birth',
  'sex',
  'phone',
] as const;
export type IdentityColumn = (typeof IDENTITY_COLUMNS)[number];

/** A value of an encrypted column must be an envelope (version 1, at least header + tag). */
const envelope = (column: string): string =>
  `"${column}" IS NULL OR (octet_length("${column}") >= 46 AND get_byte("${column}", 0) = 1)`;

/**
 * A person's class A identity (docs/design.md §4), each field encrypted under the person's own data
 * key (`key_id` in the keyring, purpose `person_data`, subject = the person) and bound to its
 * place (organisation, table, column, person id, key id). CHECK constraints refuse anything that
 * is not an envelope, so plaintext can never be stored here by mistake.
 */
@Entity({ name: 'person_identity' })
@Check('person_identity_given_name_envelope', envelope('given_name'))
@Check('person_identity_family_name_envelope', envelope('family_name'))
@Check('person_identity_alias_envelope', envelope('alias'))
@Check('person_identity_date_of_birth_envelope', envelope('date_of_birth'))
@Check('person_identity_sex_envelope', envelope('sex'))
@Check('person_identity_phone_envelope', envelope('phone'))
export class PersonIdentityEntity extends TenantScoped {
  @PrimaryColumn({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @Column({ name: 'key_id', type: 'integer' })
  keyId!: number;

  @Column({ name: 'given_name', type: 'bytea', nullable: true })
  givenName!: Buffer | null;

  @Column({ name: 'family_name', type: 'bytea', nullable: true })
  familyName!: Buffer | null;

  @Column({ type: 'bytea', nullable: true })
  alias!: Buffer | null;

  @Column({ name: 'date_of_birth', type: 'bytea', nullable: true })
  dateOfBirth!: Buffer | null;

  @Column({ type: 'bytea', nullable: true })
  sex!: Buffer | null;

  @Column({ type: 'bytea', nullable: true })
  phone!: Buffer | null;

  @OneToOne(() => PersonEntity, { onDelete: 'CASCADE' })
  @JoinColumn(sameOrganisation('person_id'))
  person?: PersonEntity;

  @ManyToOne(() => OrganisationKeyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn(sameOrganisation('key_id', { referencedColumnName: 'keyId' }))
  key?: OrganisationKeyEntity;
}
