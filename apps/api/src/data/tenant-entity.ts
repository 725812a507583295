import { JoinColumn, ManyToOne, PrimaryColumn, type JoinColumnOptions } from 'typeorm';
import { OrganisationEntity } from './organisations/organisation.entity';

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
 * A row that references its organisation directly: `<table>_organisation_fk`, and an
 * organisation with rows cannot be deleted.
 */
export abstract class TenantEntity extends TenantScoped {
  @ManyToOne(() => OrganisationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: OrganisationEntity;
}

/** A row of its own with a random id, referencing its organisation: key `(organisation_id, id)`. */
export abstract class TenantRecord extends TenantEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;
}

/** A row with a random id under a parent of the same organisation: key `(organisation_id, id)`. */
export abstract class TenantChildRecord extends TenantScoped {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;
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
