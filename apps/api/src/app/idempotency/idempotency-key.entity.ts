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
import { OrganisationEntity } from '../organisations/organisation.entity';

/**
 * A create request made with an `Idempotency-Key` header (DESIGN.md §11): the same key again,
 * with the same body, gets the first answer back instead of a second record. The stored answer
 * is encrypted under the organisation key (bound to this row); keys are per user and route.
 */
@Entity({ name: 'idempotency_key' })
@Index('idempotency_key_unique', ['organisationId', 'userId', 'route', 'key'], { unique: true })
@Check('idempotency_key_length', `char_length("key") BETWEEN 1 AND 100`)
@Check(
  'idempotency_key_response_envelope',
  `octet_length("response") >= 46 AND get_byte("response", 0) = 1`,
)
export class IdempotencyKeyEntity {
  @PrimaryColumn({
    name: 'organisation_id',
    type: 'uuid',
    primaryKeyConstraintName: 'idempotency_key_pkey',
  })
  organisationId!: string;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'idempotency_key_pkey' })
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ type: 'text' })
  route!: string;

  @Column({ type: 'text' })
  key!: string;

  /** SHA-256 of the request body as received. */
  @Column({ name: 'request_hash', type: 'bytea' })
  requestHash!: Buffer;

  @Column({ type: 'integer' })
  status!: number;

  @Column({ type: 'bytea' })
  response!: Buffer;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @ManyToOne(() => OrganisationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'organisation_id',
    foreignKeyConstraintName: 'idempotency_key_organisation_fk',
  })
  organisation?: OrganisationEntity;
}
