import { REVEAL_PURPOSES } from '@harbour/domain';
import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
} from 'typeorm';
import { sqlList } from '../../infra/database/sql-list';
import { OrganisationEntity } from '../organisations/organisation.entity';
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
export class RevealDetailEntity {
  @PrimaryColumn({
    name: 'organisation_id',
    type: 'uuid',
    primaryKeyConstraintName: 'reveal_detail_pkey',
  })
  organisationId!: string;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'reveal_detail_pkey' })
  id!: string;

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

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @ManyToOne(() => OrganisationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'organisation_id',
    foreignKeyConstraintName: 'reveal_detail_organisation_fk',
  })
  organisation?: OrganisationEntity;

  @ManyToOne(() => PersonEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    {
      name: 'organisation_id',
      referencedColumnName: 'organisationId',
      foreignKeyConstraintName: 'reveal_detail_person_fk',
    },
    {
      name: 'person_id',
      referencedColumnName: 'id',
      foreignKeyConstraintName: 'reveal_detail_person_fk',
    },
  ])
  person?: PersonEntity;
}
