import { JoinColumn, ManyToOne, PrimaryColumn, type JoinColumnOptions } from 'typeorm';
import { OrganisationEntity } from './organisations/organisation.entity';
import { CreatedAtColumn, UpdatedAtColumn, VersionNumberColumn } from './record-columns';

/**
 * A row of a tenant table (docs/design.md §6, tenancy): `organisation_id` leads the primary key
 * (`<table>_pkey`, `HarbourNamingStrategy`), and row-level security filters on it. Used as it
 * is by rows that hang off a parent of the same organisation: their foreign key to the parent
 * (`sameOrganisation`) includes `organisation_id`, which already ties them to the tenant.
 */
export abstract class TenantScoped {
  @PrimaryColumn({ name: 'organisation_id', type: 'uuid' })
  organisationId!: string;
}

/**
 * The reference of a row to its organisation: `<table>_organisation_fk`, and an organisation
 * with rows cannot be deleted.
 */
const OwnOrganisation = (): PropertyDecorator => (target, property) => {
  ManyToOne(() => OrganisationEntity, { onDelete: 'RESTRICT' })(target, property);
  JoinColumn({ name: 'organisation_id' })(target, property);
};

/** A row that references its organisation directly (and has no id of its own). */
export abstract class TenantEntity extends TenantScoped {
  @OwnOrganisation() organisation?: OrganisationEntity;
}

/** A row with a random id under a parent of the same organisation: key `(organisation_id, id)`. */
export abstract class TenantChildRecord extends TenantScoped {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;
}

/** A row of its own with a random id, referencing its organisation: key `(organisation_id, id)`. */
export abstract class TenantRecord extends TenantChildRecord {
  @OwnOrganisation() organisation?: OrganisationEntity;
}

/**
 * A record staff edit, under a parent of the same organisation: when it was created and last
 * changed, and its `version` for optimistic concurrency (docs/design.md §11).
 */
export abstract class EditableChildRecord extends TenantChildRecord {
  @CreatedAtColumn()
  createdAt!: Date;

  @UpdatedAtColumn()
  updatedAt!: Date;

  @VersionNumberColumn()
  version!: number;
}

/** A record staff edit that references its organisation directly (see `EditableChildRecord`). */
export abstract class EditableRecord extends EditableChildRecord {
  @OwnOrganisation() organisation?: OrganisationEntity;
}

/**
 * The join columns of a reference to another row of the same organisation:
 * `(organisation_id, <column>)` → the target's `(organisationId, <referencedColumnName>)`, so a
 * reference can never cross tenants (docs/design.md §6). The key is named
 * `<table>_<column without _id>_fk` unless `foreignKeyConstraintName` says otherwise.
 */
export function sameOrganisation(
  column: string,
  options: { referencedColumnName?: string; foreignKeyConstraintName?: string } = {},
): JoinColumnOptions[] {
  const { referencedColumnName = 'id', foreignKeyConstraintName } = options;
  return [
    { name: 'organisation_id', referencedColumnName: 'organisationId', foreignKeyConstraintName },
    { name: column, referencedColumnName, foreignKeyConstraintName },
  ];
}
