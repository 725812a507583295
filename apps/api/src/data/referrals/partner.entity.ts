import { LANGUAGE_GROUPS, PARTNER_SERVICE_TYPES } from '@harbour/domain';
import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  VersionColumn,
} from 'typeorm';
import { sqlList } from '../../infra/database/sql-list';
import { OrganisationEntity } from '../organisations/organisation.entity';

/** A service in the organisation's partner directory, with its safety attributes. */
@Entity({ name: 'partner' })
@Check('partner_name_length', `char_length("name") BETWEEN 1 AND 200`)
@Check('partner_service_type', `"service_type" IN (${sqlList(PARTNER_SERVICE_TYPES)})`)
@Check('partner_languages', `"languages" <@ ARRAY[${sqlList(LANGUAGE_GROUPS)}]::text[]`)
export class PartnerEntity {
  @PrimaryColumn({
    name: 'organisation_id',
    type: 'uuid',
    primaryKeyConstraintName: 'partner_pkey',
  })
  organisationId!: string;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'partner_pkey' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'service_type', type: 'text' })
  serviceType!: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  languages!: string[];

  @Column({ name: 'sex_worker_friendly', type: 'boolean', default: false })
  sexWorkerFriendly!: boolean;

  @Column({ name: 'no_id_required', type: 'boolean', default: false })
  noIdRequired!: boolean;

  @Column({ type: 'boolean', default: false })
  interpreters!: boolean;

  @Column({ name: 'immigration_safe', type: 'boolean', default: false })
  immigrationSafe!: boolean;

  @Column({ type: 'boolean', default: false })
  free!: boolean;

  @Column({ name: 'contact_details', type: 'text', nullable: true })
  contactDetails!: string | null;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @VersionColumn({ type: 'integer', default: 1 })
  version!: number;

  @ManyToOne(() => OrganisationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organisation_id', foreignKeyConstraintName: 'partner_organisation_fk' })
  organisation?: OrganisationEntity;
}
