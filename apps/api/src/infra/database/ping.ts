import type { DataSource } from 'typeorm';

/** Resolves when the database answers a trivial statement; rejects otherwise. */
export async function pingDatabase(dataSource: DataSource): Promise<void> {
  await dataSource.query('SELECT 1');
}
