import { uuidv7 } from '@harbour/domain';
import { Client } from 'pg';

export const DEMO_ORGANISATION_NAME = 'Harbour Demo Outreach';

export interface SeedResult {
  readonly seeded: boolean;
  readonly organisationCount: number;
}

/**
 * Development only: when the database holds no organisation, create the demo organisation.
 * Runs as the owner role (which may see every tenant); the insert still goes through the
 * row-level security policy by setting the tenant for its transaction.
 */
export async function seedDemoIfEmpty(ownerUrl: string): Promise<SeedResult> {
  const client = new Client({ connectionString: ownerUrl, application_name: 'harbour-seed' });
  await client.connect();
  try {
    const role = await client.query<{ rolbypassrls: boolean }>(
      'SELECT rolbypassrls FROM pg_roles WHERE rolname = current_user',
    );
    if (role.rows[0]?.rolbypassrls !== true) {
      // Without it the owner sees no tenant rows and would re-seed on every start.
      throw new Error(
        'demo seeding needs an owner role with BYPASSRLS (the embedded database has one)',
      );
    }
    await client.query('BEGIN');
    // One seeder at a time, even with two `npm start`s racing on one database.
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('harbour.demo-seed'))`);
    const { rows } = await client.query<{ count: string }>('SELECT count(*) FROM organisation');
    const existing = Number(rows[0]?.count ?? 0);
    if (existing > 0) {
      await client.query('COMMIT');
      return { seeded: false, organisationCount: existing };
    }
    const id = uuidv7();
    await client.query(`SELECT set_config('app.org_id', $1, true)`, [id]);
    await client.query('INSERT INTO organisation (id, name) VALUES ($1, $2)', [
      id,
      DEMO_ORGANISATION_NAME,
    ]);
    await client.query('COMMIT');
    return { seeded: true, organisationCount: 1 };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
