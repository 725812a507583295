import { LANGUAGE_GROUPS, PARTNER_SERVICE_TYPES } from '@harbour/domain';
import { Check, Column, Entity } from 'typeorm';
import { sqlList } from '../../infra/database/sql-list';
import { TenantRecord } from '../tenant-entity';
import { CreatedAtColumn, VersionNumberColumn } from '../record-columns';

/** A service in the organisation's partner directory, with its safety attributes. */
@Entity({ name: 'partner' })
@Check('partner_name_length', `char_length("name") BETWEEN 1 AND 200`)
@Check('partner_service_type', `"service_type" IN (${sqlList(PARTNER_SERVICE_TYPES)})`)
@Check('partner_languages', `"languages" <@ ARRAY[${sqlList(LANGUAGE_GROUPS)}]::text[]`)
export class PartnerEntity extends TenantRecord {
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

  @CreatedAtColumn()
  createdAt!: Date;

  @VersionNumberColumn()
  version!: number;
}
