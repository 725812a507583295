import type { ClientBase } from 'pg';
import type { MigrationInterface } from 'typeorm';
import { runMigrations } from '../data-source';
import type { BackupManifest } from './backup-content';
import { BackupError } from './backup-errors';

type MigrationClass = new () => MigrationInterface;

/** TypeORM's record of applied migrations: not copied, its names are the backup's schema version. */
export const MIGRATIONS_TABLE = 'typeorm_migration';

/** The applied migrations of the data database, oldest first (read inside the snapshot). */
export async function appliedMigrations(client: ClientBase): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT name FROM public.${MIGRATIONS_TABLE} ORDER BY timestamp, id`,
  );
  return rows.map((r) => r.name);
}

function nameOf(migration: MigrationClass): string {
  const name = new migration().name;
  if (name === undefined) throw new Error(`migration ${migration.name} has no name`);
  return name;
}

/**
 * Splits this code's migrations into those the backup's data was written under (run before the
 * load) and newer ones (run after it, so they transform restored data as they would live data).
 * Refuses a backup naming a migration this code does not know (a backup from newer code), or
 * one whose migrations are not this code's first ones in order.
 */
export function splitMigrations(
  manifest: BackupManifest,
  migrations: readonly MigrationClass[],
): { before: MigrationClass[]; after: MigrationClass[] } {
  const known = migrations.map(nameOf);
  const unknown = manifest.schemaVersion.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new BackupError(
      'unknown_migration',
      `the backup was written by a newer Harbour (unknown migration(s): ${unknown.join(', ')}); restore it with that version or later`,
    );
  }
  const count = manifest.schemaVersion.length;
  if (manifest.schemaVersion.some((name, i) => known[i] !== name)) {
    throw new BackupError(
      'target_schema_mismatch',
      'the migrations the backup names are not this code’s migrations in order',
    );
  }
  return { before: migrations.slice(0, count), after: migrations.slice(count) };
}

/** `prepareSchema` / `afterLoad` of a data restore: Harbour's migrations, as the owner role. */
export function dataSchemaSteps(ownerUrl: string, migrations: readonly MigrationClass[]) {
  return {
    prepareSchema: async (_url: string, manifest: BackupManifest): Promise<void> => {
      await runMigrations(ownerUrl, splitMigrations(manifest, migrations).before);
    },
    afterLoad: async (): Promise<void> => {
      await runMigrations(ownerUrl, migrations);
    },
  };
}
