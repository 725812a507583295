import { CONSENT_METHODS, CONSENT_PURPOSES } from '@harbour/domain';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, VersionColumn } from 'typeorm';
import { sqlList } from '../../infra/database/sql-list';
import { PersonEntity } from '../persons/person.entity';
import { sameOrganisation, TenantChildRecord } from '../tenant-entity';

/**
 * A person's consent for one purpose (docs/design.md §3): given (how, when, by whom) and perhaps
 * revoked later. Rows are never deleted, so the history stays; at most one consent per person
 * and purpose is in force at a time.
 */
@Entity({ name: 'consent' })
@Index('consent_in_force', ['organisationId', 'personId', 'purpose'], {
  unique: true,
  where: '"revoked_at" IS NULL',
})
@Check('consent_purpose', `"purpose" IN (${sqlList(CONSENT_PURPOSES)})`)
@Check('consent_method', `"method" IN (${sqlList(CONSENT_METHODS)})`)
@Check('consent_revocation_complete', `("revoked_at" IS NULL) = ("revoked_by" IS NULL)`)
@Check('consent_revoked_after_given', `"revoked_at" IS NULL OR "revoked_at" >= "given_at"`)
export class ConsentEntity extends TenantChildRecord {
  @Column({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @Column({ type: 'text' })
  purpose!: string;

  @Column({ type: 'text' })
  method!: string;

  @Column({ name: 'given_at', type: 'timestamptz' })
  givenAt!: Date;

  @Column({ name: 'given_by', type: 'uuid' })
  givenBy!: string;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'revoked_by', type: 'uuid', nullable: true })
  revokedBy!: string | null;

  @VersionColumn()
  version!: number;

  @ManyToOne(() => PersonEntity, { onDelete: 'CASCADE' })
  @JoinColumn(sameOrganisation('person_id'))
  person?: PersonEntity;
}
