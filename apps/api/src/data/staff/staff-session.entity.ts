import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { sameOrganisation, TenantChildRecord } from '../tenant-entity';
import { StaffUserEntity } from './staff-user.entity';

/**
 * A server-side session (docs/security.md T6). The cookie carries a random token; only its SHA-256
 * is stored, so a database reader cannot hijack sessions.
 */
@Entity({ name: 'staff_session' })
@Index('staff_session_token_unique', ['tokenHash'], { unique: true })
@Index('staff_session_user', ['organisationId', 'userId'])
@Check('staff_session_stage', `"stage" IN ('mfa', 'enrol', 'active')`)
export class StaffSessionEntity extends TenantChildRecord {
  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ name: 'token_hash', type: 'bytea' })
  tokenHash!: Buffer;

  @Column({ name: 'csrf_hash', type: 'bytea' })
  csrfHash!: Buffer;

  @Column({ type: 'text' })
  stage!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'last_seen_at', type: 'timestamptz' })
  lastSeenAt!: Date;

  @Column({ name: 'idle_expires_at', type: 'timestamptz' })
  idleExpiresAt!: Date;

  @Column({ name: 'absolute_expires_at', type: 'timestamptz' })
  absoluteExpiresAt!: Date;

  @Column({ name: 'step_up_at', type: 'timestamptz', nullable: true })
  stepUpAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'revoke_reason', type: 'text', nullable: true })
  revokeReason!: string | null;

  /** Wrong second-factor codes in this sign-in; too many end it. */
  @Column({ name: 'mfa_failures', type: 'integer', default: 0 })
  mfaFailures!: number;

  @ManyToOne(() => StaffUserEntity, { onDelete: 'CASCADE' })
  @JoinColumn(sameOrganisation('user_id'))
  user?: StaffUserEntity;
}
