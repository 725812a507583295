import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { PersonEntity } from '../persons/person.entity';
import { sameOrganisation, TenantScoped } from '../tenant-entity';
import { DisclosureRequestEntity } from './disclosure-request.entity';

/** A person a disclosure request asks about (by id; the request names them by code). */
@Entity({ name: 'disclosure_request_person' })
@Index('disclosure_request_person_person', ['organisationId', 'personId'])
export class DisclosureRequestPersonEntity extends TenantScoped {
  @PrimaryColumn({ name: 'request_id', type: 'uuid' })
  requestId!: string;

  @PrimaryColumn({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @ManyToOne(() => DisclosureRequestEntity, { onDelete: 'RESTRICT' })
  @JoinColumn(sameOrganisation('request_id'))
  request?: DisclosureRequestEntity;

  @ManyToOne(() => PersonEntity, { onDelete: 'RESTRICT' })
  @JoinColumn(sameOrganisation('person_id'))
  person?: PersonEntity;
}
