import { REVEAL_PURPOSES } from '@harbour/domain';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { sqlList } from '../../infra/database/sql-list';
import { sameOrganisation, TenantRecord } from '../tenant-entity';
import { CreatedAtColumn } from '../record-columns';
import { PersonEntity } from './person.entity';

/**
 * The words a caseworker gave with a reveal, beyond its purpose category (docs/security.md T28). The
 * access event of the reveal records the category only; the words are encrypted under the
 * person's own data key (the envelope names it) and bound to this row, so erasing the person
 * shreds them. `request_id` ties the row to the reveal's access event. Insert-only.
 */
@Entity({ name: 'reveal_detail' })
@Index('reveal_detail_person', ['organisationId', 'personId'])
@Check('reveal_detail_envelope', `octet_length("detail") >= 46 AND get_byte("detail", 0) = 1`)
@Check('reveal_detail_purpose', `"purpose" IN (${sqlList(REVEAL_PURPOSES)})`)
export class RevealDetailEntity extends TenantRecord {
  @Column({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @Column({ type: 'text' })
  purpose!: string;

  @Column({ type: 'bytea' })
  detail!: Buffer;

  @Column({ name: 'request_id', type: 'text' })
  requestId!: string;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @CreatedAtColumn()
  createdAt!: Date;

  @ManyToOne(() => PersonEntity, { onDelete: 'RESTRICT' })
  @JoinColumn(sameOrganisation('person_id'))
  person?: PersonEntity;
}
