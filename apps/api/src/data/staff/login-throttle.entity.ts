import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Sign-in throttling state shared by every API instance (docs/security.md T3). Keys are
 * `ip:<address>`, `account:<sha-256 of the e-mail>` (passwords) and `code:<user id>` (second-factor
 * codes); the table holds no tenant data, so it has no organisation and no row-level security.
 */
@Entity({ name: 'login_throttle' })
export class LoginThrottleEntity {
  @PrimaryColumn({ type: 'text' })
  key!: string;

  /** Start of the current one-minute window and attempts within it (per-IP rate). */
  @Column({ name: 'window_started_at', type: 'timestamptz' })
  windowStartedAt!: Date;

  @Column({ name: 'window_attempts', type: 'integer', default: 0 })
  windowAttempts!: number;

  /** Consecutive failures (per account and kind); reset by a success or an admin reset. */
  @Column({ name: 'consecutive_failures', type: 'integer', default: 0 })
  consecutiveFailures!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true })
  nextAttemptAt!: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
