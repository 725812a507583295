import { Check, Column, Entity, Index } from 'typeorm';
import { EditableRecord } from '../tenant-entity';

/** A person who signs in. Has roles within one organisation. */
@Entity({ name: 'staff_user' })
@Index('staff_user_email_unique', ['organisationId', 'email'], { unique: true })
@Check('staff_user_status', `"status" IN ('active', 'disabled')`)
@Check(
  'staff_user_roles',
  `cardinality("roles") >= 1 AND "roles" <@ ARRAY['caseworker', 'coordinator', 'auditor', 'admin']::text[] AND (NOT ('auditor' = ANY ("roles")) OR cardinality("roles") = 1)`,
)
@Check(
  'staff_user_email_normalised',
  `"email" = lower("email") AND char_length("email") BETWEEN 3 AND 254`,
)
@Check(
  'staff_user_language',
  `"language" IS NULL OR "language" IN ('en', 'th', 'vi', 'zh-Hans', 'ko')`,
)
@Check('staff_user_display_name', `char_length("display_name") BETWEEN 1 AND 200`)
@Check(
  'staff_user_totp_encrypted',
  `("totp_secret" IS NULL OR (octet_length("totp_secret") >= 46 AND get_byte("totp_secret", 0) = 1)) AND ("totp_pending" IS NULL OR (octet_length("totp_pending") >= 46 AND get_byte("totp_pending", 0) = 1))`,
)
export class StaffUserEntity extends EditableRecord {
  /** Lower-cased. Unique within the organisation only (no cross-tenant existence oracle). */
  @Column({ type: 'text' })
  email!: string;

  @Column({ name: 'display_name', type: 'text' })
  displayName!: string;

  /** argon2id (PHC string). */
  @Column({ name: 'password_hash', type: 'text' })
  passwordHash!: string;

  @Column({ name: 'password_changed_at', type: 'timestamptz' })
  passwordChangedAt!: Date;

  @Column({ name: 'must_change_password', type: 'boolean', default: false })
  mustChangePassword!: boolean;

  @Column({ type: 'text', array: true })
  roles!: string[];

  @Column({ type: 'text', default: 'active' })
  status!: string;

  /** The TOTP seed, encrypted under the organisation data key. */
  @Column({ name: 'totp_secret', type: 'bytea', nullable: true })
  totpSecret!: Buffer | null;

  /** A seed being enrolled, until the first code confirms it. */
  @Column({ name: 'totp_pending', type: 'bytea', nullable: true })
  totpPending!: Buffer | null;

  /** The last TOTP time step accepted: each code is accepted once. */
  @Column({ name: 'totp_last_step', type: 'bigint', nullable: true })
  totpLastStep!: string | null;

  @Column({ name: 'totp_enrolled_at', type: 'timestamptz', nullable: true })
  totpEnrolledAt!: Date | null;

  @Column({ name: 'last_sign_in_at', type: 'timestamptz', nullable: true })
  lastSignInAt!: Date | null;

  /** The console language the person chose (one of the five), or null: not chosen. */
  @Column({ type: 'text', nullable: true })
  language!: string | null;
}
