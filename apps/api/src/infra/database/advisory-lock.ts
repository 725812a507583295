import type { QueryRunner } from 'typeorm';

/**
 * Session-level advisory locks on a connection the caller holds: `(lockClass, name)` names one
 * lock across every API instance on the database. A crashed holder's lock goes with its
 * connection.
 */
export async function tryAdvisoryLock(
  runner: QueryRunner,
  lockClass: number,
  name: string,
): Promise<boolean> {
  const [row] = (await runner.query(`SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked`, [
    lockClass,
    name,
  ])) as { locked: boolean }[];
  return row?.locked === true;
}

export async function advisoryUnlock(
  runner: QueryRunner,
  lockClass: number,
  name: string,
): Promise<void> {
  await runner.query(`SELECT pg_advisory_unlock($1, hashtext($2))`, [lockClass, name]);
}
