import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { query, statement } from '../sql';

/**
 * Jobs waiting or running, by queue and state. The job runner's tables are outside row-level
 * security and hold job names and ids only (docs/adr/0009); queue names are fixed by migrations.
 */
const jobQueueDepth = statement<
  Record<string, never>,
  { queue: string; state: string; count: number }
>(
  'metrics.jobQueueDepth',
  `SELECT name AS queue, state::text AS state, count(*)::integer AS count
  FROM pgboss.job
 WHERE state IN ('created', 'retry', 'active')
 GROUP BY name, state
 ORDER BY name, state`,
);

/** A count across organisations, through the one function that may count them (no ids). */
const organisationsInLockdown = statement<Record<string, never>, { count: number }>(
  'metrics.organisationsInLockdown',
  `SELECT metrics_organisations_in_lockdown() AS count`,
);

/** The figures `GET /metrics` reads from the database at scrape time (autocommit, no tenant). */
@Injectable()
export class MetricsRepository {
  async jobQueueDepth(
    manager: EntityManager,
  ): Promise<{ queue: string; state: string; count: number }[]> {
    return await query(manager, jobQueueDepth, {});
  }

  async organisationsInLockdown(manager: EntityManager): Promise<number> {
    const [row] = await query(manager, organisationsInLockdown, {});
    return row?.count ?? 0;
  }
}
