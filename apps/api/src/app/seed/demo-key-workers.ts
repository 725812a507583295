import { KeyWorkersRepository } from '../../data/key-workers/key-workers.repository';
import type { Db } from '../../infra/database/transaction';

/**
 * Key workers in the demo organisation (development only): the demo caseworker holds most
 * people, the demo coordinator some, a few have no key worker yet (to show "become key
 * worker"), and one of the caseworker's people is restricted — the demo caseworker can still
 * reveal them, any other caseworker sees the code only.
 */
export async function seedDemoKeyWorkers(
  db: Db,
  organisationId: string,
  staff: { caseworker: string; coordinator: string },
  at: Date,
): Promise<{ assigned: number; restricted: string | null }> {
  return db.transaction(organisationId, (tx) =>
    new KeyWorkersRepository().seedDemo(
      tx,
      organisationId,
      { caseworkerId: staff.caseworker, coordinatorId: staff.coordinator },
      at,
    ),
  );
}
