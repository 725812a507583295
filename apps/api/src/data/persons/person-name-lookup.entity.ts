import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { sameOrganisation, TenantScoped } from '../tenant-entity';
import { PersonEntity } from './person.entity';

/**
 * The covering row of an exact name lookup (docs/adr/0020): one per `name_pair` row and
 * `name_unpaired` marker of `person_index`, with the person's code, restricted flag and key
 * workers (docs/adr/0023), the key id and the two name envelopes of `person_identity` (the same
 * bytes), and the person's name-token values at the same width (`token_values`). Written only by the database's triggers on
 * `person_index`, `person_identity`, `person` and `person_key_worker`
 * (migrations/1795780000000-PersonNameLookup.ts and 1795782000000-PersonNameLookupKeyWorkers.ts),
 * in the transaction that changes the source; the application role may only read it.
 */
@Entity({ name: 'person_name_lookup' })
@Index('person_name_lookup_person', ['organisationId', 'personId'])
@Check('person_name_lookup_kind', `"kind" IN ('name_pair', 'name_unpaired')`)
export class PersonNameLookupEntity extends TenantScoped {
  @PrimaryColumn({ type: 'text' })
  kind!: string;

  @PrimaryColumn({ type: 'smallint' })
  bits!: number;

  @PrimaryColumn({ type: 'bigint' })
  value!: string;

  @PrimaryColumn({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @Column({ type: 'text' })
  code!: string;

  @Column({ type: 'boolean' })
  restricted!: boolean;

  /** The staff ids of the person's key workers, in order (`person_key_worker`). */
  @Column({ name: 'key_workers', type: 'uuid', array: true, default: () => "'{}'" })
  keyWorkers!: string[];

  @Column({ name: 'key_id', type: 'integer' })
  keyId!: number;

  @Column({ name: 'token_values', type: 'bigint', array: true })
  tokenValues!: string[];

  @Column({ name: 'given_name', type: 'bytea', nullable: true })
  givenName!: Buffer | null;

  @Column({ name: 'family_name', type: 'bytea', nullable: true })
  familyName!: Buffer | null;

  @ManyToOne(() => PersonEntity, { onDelete: 'CASCADE' })
  @JoinColumn(sameOrganisation('person_id'))
  person?: PersonEntity;
}
