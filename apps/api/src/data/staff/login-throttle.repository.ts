import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { query, statement } from '../sql';

/** A throttle row as the upserts return it. */
export interface ThrottleRow {
  window_attempts: number;
  window_started_at: Date;
  consecutive_failures: number;
  next_attempt_at: Date | null;
}

const hitAddress = statement<{ key: string; now: Date }, ThrottleRow>(
  'staff.throttleHitAddress',
  `INSERT INTO login_throttle (key, window_started_at, window_attempts, updated_at)
VALUES (:key, :now, 1, :now)
ON CONFLICT (key) DO UPDATE SET
  window_attempts = CASE WHEN login_throttle.window_started_at <= :now - interval '1 minute'
                         THEN 1 ELSE login_throttle.window_attempts + 1 END,
  window_started_at = CASE WHEN login_throttle.window_started_at <= :now - interval '1 minute'
                           THEN :now ELSE login_throttle.window_started_at END,
  updated_at = :now
RETURNING window_attempts, window_started_at, consecutive_failures, next_attempt_at`,
);

const read = statement<{ key: string }, ThrottleRow>(
  'staff.throttleRead',
  `SELECT window_attempts, window_started_at, consecutive_failures, next_attempt_at
  FROM login_throttle WHERE key = :key`,
);

const recordFailure = statement<
  { key: string; now: Date; from: number; baseSeconds: number; capSeconds: number },
  ThrottleRow
>(
  'staff.throttleRecordFailure',
  `INSERT INTO login_throttle (key, window_started_at, consecutive_failures, next_attempt_at, updated_at)
VALUES (:key, :now, 1, NULL, :now)
ON CONFLICT (key) DO UPDATE SET
  consecutive_failures = login_throttle.consecutive_failures + 1,
  next_attempt_at = CASE
    WHEN login_throttle.consecutive_failures + 1 >= :from
    THEN :now + make_interval(secs => least(:baseSeconds * power(2, login_throttle.consecutive_failures + 1 - :from), :capSeconds))
    ELSE NULL END,
  updated_at = :now
RETURNING window_attempts, window_started_at, consecutive_failures, next_attempt_at`,
);

const clear = statement<{ key: string }>(
  'staff.throttleClear',
  `DELETE FROM login_throttle WHERE key = :key`,
);

/**
 * Sign-in throttle rows. Every statement runs on its own pooled connection in autocommit, never
 * in the request's transaction: a failure must be counted although the failing request rolls
 * back.
 */
@Injectable()
export class LoginThrottleRepository {
  constructor(private readonly dataSource: DataSource) {}

  async hitAddress(key: string, now: Date): Promise<ThrottleRow | undefined> {
    const [row] = await query(this.dataSource.manager, hitAddress, { key, now });
    return row;
  }

  async read(key: string): Promise<ThrottleRow | undefined> {
    const [row] = await query(this.dataSource.manager, read, { key });
    return row;
  }

  async recordFailure(
    key: string,
    now: Date,
    backoff: { from: number; baseSeconds: number; capSeconds: number },
  ): Promise<ThrottleRow | undefined> {
    const [row] = await query(this.dataSource.manager, recordFailure, { key, now, ...backoff });
    return row;
  }

  async clear(key: string): Promise<void> {
    await query(this.dataSource.manager, clear, { key });
  }
}
