import { DefaultNamingStrategy, type Table } from 'typeorm';

/**
 * The names the migrations give keys, so entities need not spell them out (and base classes,
 * whose decorators cannot vary per table, get the right ones):
 * - a primary key is `<table>_pkey` (PostgreSQL's own default);
 * - a foreign key is `<table>_<target>_fk`, where `<target>` is its last column without `_id`:
 *   `person_organisation_fk` for `(organisation_id)`, `contact_person_fk` for
 *   `(organisation_id, person_id)`. A key named otherwise keeps `foreignKeyConstraintName`.
 * Checks, indexes and unique constraints are always named where they are declared.
 */
export class HarbourNamingStrategy extends DefaultNamingStrategy {
  override primaryKeyName(tableOrName: Table | string): string {
    return `${this.getTableName(tableOrName)}_pkey`;
  }

  override foreignKeyName(tableOrName: Table | string, columnNames: string[]): string {
    const last = columnNames[columnNames.length - 1] ?? '';
    return `${this.getTableName(tableOrName)}_${last.replace(/_id$/, '')}_fk`;
  }
}
