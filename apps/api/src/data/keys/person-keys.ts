import type { Tx } from '../../infra/database/transaction';
import { query, statement } from '../sql';

/**
 * The id of the current data key of person `<alias>` (a row with `organisation_id` and `id`):
 * the newest active `person_data` key whose subject is the person. One definition, used by the
 * keyring and by every statement that checks a person's key in the same round trip.
 */
export function currentPersonKeyIdOf(alias: string): string {
  return `(SELECT k.key_id FROM organisation_key k
          WHERE k.organisation_id = ${alias}.organisation_id AND k.purpose = 'person_data'
            AND k.subject_id = ${alias}.id AND k.status = 'active'
          ORDER BY k.key_id DESC LIMIT 1)`;
}

const currentPersonKeyId = statement<
  { organisationId: string; personId: string },
  { key_id: number | null }
>(
  'keys.currentPersonKeyId',
  `SELECT ${currentPersonKeyIdOf('p')} AS key_id
  FROM (SELECT :organisationId::uuid AS organisation_id, :personId::uuid AS id) AS p`,
);

/** The id of the person's current data key, or null when they have none yet. */
export async function currentPersonKeyIdFor(
  tx: Tx,
  organisationId: string,
  personId: string,
): Promise<number | null> {
  const [row] = await query(tx.manager, currentPersonKeyId, { organisationId, personId });
  return row?.key_id ?? null;
}
