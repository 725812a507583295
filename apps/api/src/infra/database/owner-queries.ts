import { Client } from 'pg';

/**
 * Reads the operator needs across every organisation, as the owner role (which row-level
 * security does not limit): start-up maintenance and the operator CLI, never a request.
 */
async function asOwner<T>(ownerUrl: string, read: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    return await read(client);
  } finally {
    await client.end();
  }
}

/** Every organisation's id, in order. */
export function organisationIds(ownerUrl: string): Promise<string[]> {
  return asOwner(ownerUrl, async (client) =>
    (await client.query<{ id: string }>('SELECT id FROM organisation ORDER BY id')).rows.map(
      (r) => r.id,
    ),
  );
}

/** Organisations whose access-log head has events but no MAC (written before heads had one). */
export function organisationsWithUnauthenticatedHeads(ownerUrl: string): Promise<string[]> {
  return asOwner(ownerUrl, async (client) =>
    (
      await client.query<{ organisation_id: string }>(
        `SELECT organisation_id FROM audit_log_state WHERE head_mac IS NULL AND tree_size > 0`,
      )
    ).rows.map((r) => r.organisation_id),
  );
}
