import { Check, Column, Entity, Index } from 'typeorm';
import { TenantRecord } from '../tenant-entity';
import { CreatedAtColumn } from '../record-columns';

/**
 * A create request made with an `Idempotency-Key` header (docs/design.md §11): the same key again,
 * with the same request, gets the first answer back instead of a second record. Neither the key
 * nor the request is stored: only keyed MACs of both (docs/security.md T28), so a dump gives a
 * dictionary nothing to test guesses against. The stored answer is encrypted under the
 * organisation key (bound to this row); keys are per user and route template. A record lives 24
 * hours (`expires_at`; expired records are ignored and purged) and names the people it
 * concerns, so erasing a person deletes it.
 */
@Entity({ name: 'idempotency_key' })
@Index('idempotency_key_unique', ['organisationId', 'userId', 'route', 'keyMac'], {
  unique: true,
})
@Index('idempotency_key_expiry', ['expiresAt'])
@Check('idempotency_key_macs', `octet_length("key_mac") = 32 AND octet_length("request_mac") = 32`)
@Check(
  'idempotency_key_response_envelope',
  `octet_length("response") >= 46 AND get_byte("response", 0) = 1`,
)
export class IdempotencyKeyEntity extends TenantRecord {
  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ type: 'text' })
  route!: string;

  /** HMAC-SHA256 of the client's `Idempotency-Key` (never the key itself). */
  @Column({ name: 'key_mac', type: 'bytea' })
  keyMac!: Buffer;

  /** HMAC-SHA256 of the request (path parameters and body), to refuse a reused key. */
  @Column({ name: 'request_mac', type: 'bytea' })
  requestMac!: Buffer;

  /** The people the request or its answer names: erasing one of them deletes this record. */
  @Column({ name: 'person_ids', type: 'uuid', array: true, default: () => "'{}'" })
  personIds!: string[];

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'integer' })
  status!: number;

  @Column({ type: 'bytea' })
  response!: Buffer;

  @CreatedAtColumn()
  createdAt!: Date;
}
