import { Check, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { sameOrganisation, TenantScoped } from '../tenant-entity';
import { PersonEntity } from './person.entity';

/** What a blind-index row indexes. */
export const PERSON_INDEX_KINDS = [
  'name',
  'name_pair',
  'name_unpaired',
  'name_phonetic',
  'name_phonetic_pair',
  'alias',
  'slk',
  'phone',
] as const;
export type PersonIndexKind = (typeof PERSON_INDEX_KINDS)[number];

/**
 * Blind-index side table (docs/design.md §5): one row per name token (and folded variant), pair of
 * folded name tokens, alias token, SLK-581 or phone of a person (and a `name_unpaired` marker,
 * value 0, for a name with no pair rows), phonetic key and pair of phonetic keys of the name's
 * Latin or romanised units (`name_phonetic`, `name_phonetic_pair`, ADR 0010), each a keyed BLAKE2b value truncated to `bits` bits so
 * that values collide on purpose. Never unique: candidates are confirmed by decryption.
 */
@Entity({ name: 'person_index' })
@Index('person_index_person', ['organisationId', 'personId'])
@Check(
  'person_index_kind',
  `"kind" IN ('name', 'name_pair', 'name_unpaired', 'name_phonetic', 'name_phonetic_pair', 'alias', 'slk', 'phone')`,
)
@Check('person_index_bits', `"bits" BETWEEN 8 AND 32`)
@Check('person_index_value', `"value" >= 0 AND "value" < (1::bigint << "bits")`)
export class PersonIndexEntity extends TenantScoped {
  @PrimaryColumn({ type: 'text' })
  kind!: string;

  @PrimaryColumn({ type: 'smallint' })
  bits!: number;

  @PrimaryColumn({ type: 'bigint' })
  value!: string;

  @PrimaryColumn({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @ManyToOne(() => PersonEntity, { onDelete: 'CASCADE' })
  @JoinColumn(sameOrganisation('person_id'))
  person?: PersonEntity;
}
