import { Check, Column, Entity } from 'typeorm';
import { TenantRecord } from '../tenant-entity';

/**
 * A canary person (docs/design.md §5): a random id and one envelope under the organisation's data
 * key holding the person's id, when and by whom it was planted and whether it was retired
 * (`CanaryRegistry`). Nothing here says which person is a decoy without the key.
 */
@Entity({ name: 'canary' })
@Check('canary_sealed_envelope', `octet_length("sealed") >= 46 AND get_byte("sealed", 0) = 1`)
export class CanaryEntity extends TenantRecord {
  @Column({ type: 'bytea' })
  sealed!: Buffer;
}
