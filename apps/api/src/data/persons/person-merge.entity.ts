import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { sameOrganisation, TenantRecord } from '../tenant-entity';
import { PersonEntity } from './person.entity';

/**
 * One merge of two records of the same person (a duplicate): which record survived, which was
 * absorbed (and its code, so an old card or link can be traced), who merged them and when, and
 * how many rows moved. Insert-only; no identity, ever.
 */
@Entity({ name: 'person_merge' })
@Index('person_merge_absorbed', ['organisationId', 'absorbedId'], { unique: true })
@Index('person_merge_survivor', ['organisationId', 'survivorId'])
@Check('person_merge_two_people', `"survivor_id" <> "absorbed_id"`)
@Check('person_merge_counts', `"rows_moved" >= 0 AND "values_reencrypted" >= 0`)
export class PersonMergeEntity extends TenantRecord {
  @Column({ name: 'survivor_id', type: 'uuid' })
  survivorId!: string;

  @Column({ name: 'absorbed_id', type: 'uuid' })
  absorbedId!: string;

  @Column({ name: 'absorbed_code', type: 'text' })
  absorbedCode!: string;

  @Column({ name: 'rows_moved', type: 'integer' })
  rowsMoved!: number;

  @Column({ name: 'values_reencrypted', type: 'integer' })
  valuesReencrypted!: number;

  @Column({ name: 'merged_by', type: 'uuid' })
  mergedBy!: string;

  @Column({ name: 'merged_at', type: 'timestamptz' })
  mergedAt!: Date;

  @ManyToOne(() => PersonEntity, { onDelete: 'RESTRICT' })
  @JoinColumn(sameOrganisation('survivor_id'))
  survivor?: PersonEntity;

  @ManyToOne(() => PersonEntity, { onDelete: 'RESTRICT' })
  @JoinColumn(sameOrganisation('absorbed_id'))
  absorbed?: PersonEntity;
}
