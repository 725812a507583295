import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { LoginThrottleRepository } from '../../data/staff/login-throttle.repository';
import { DomainError } from '../../infra/http/domain-error';

/** docs/security.md T3. */
export const IP_ATTEMPTS_PER_MINUTE = 20;
export const BACKOFF_FROM_FAILURE = 5;
export const BACKOFF_BASE_SECONDS = 1;
export const BACKOFF_CAP_SECONDS = 15 * 60;
export const LOCK_AFTER_FAILURES = 100;

export class RateLimitedError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super('rate_limited', 'Too many attempts. Please wait and try again.');
  }
}

export class AccountLockedError extends DomainError {
  constructor() {
    super('account_locked', 'Too many failed attempts. Ask an administrator to reset your access.');
  }
}

/**
 * Sign-in throttling kept in PostgreSQL, so every API instance shares it: per address, per
 * account for passwords (`accountKey`) and per account for second-factor codes (`codeKey`). Each statement is a
 * single atomic upsert on its own connection (autocommit): a failure is counted even though
 * the failing request itself rolls back. Account keys are hashes of the e-mail address and are
 * kept for unknown addresses too, so throttling behaves the same whether an account exists.
 */
@Injectable()
export class LoginThrottle {
  constructor(private readonly rows: LoginThrottleRepository) {}

  static accountKey(email: string): string {
    return `account:${createHash('sha256').update(email.trim().toLowerCase(), 'utf8').digest('hex')}`;
  }

  static ipKey(ip: string): string {
    return `ip:${ip}`;
  }

  /**
   * Second-factor codes (TOTP and recovery codes) of one account, counted across sign-ins and
   * step-ups with the same delay and lock as passwords (docs/security.md T3, T5). A correct password
   * does not reset it: only a correct code does, or an admin's reset of the account.
   */
  static codeKey(userId: string): string {
    return `code:${userId}`;
  }

  /** Counts one attempt from this address; 429 past 20 a minute. */
  async hitAddress(ip: string, now: Date): Promise<void> {
    const row = await this.rows.hitAddress(LoginThrottle.ipKey(ip), now);
    if (row !== undefined && row.window_attempts > IP_ATTEMPTS_PER_MINUTE) {
      const reset = new Date(row.window_started_at).getTime() + 60_000;
      throw new RateLimitedError(Math.max(1, Math.ceil((reset - now.getTime()) / 1000)));
    }
  }

  /** Refuses an attempt on an account that is backing off or locked. */
  async checkAccount(accountKey: string, now: Date): Promise<void> {
    const row = await this.rows.read(accountKey);
    if (row === undefined) return;
    if (row.consecutive_failures >= LOCK_AFTER_FAILURES) throw new AccountLockedError();
    if (row.next_attempt_at !== null && new Date(row.next_attempt_at).getTime() > now.getTime()) {
      const wait = new Date(row.next_attempt_at).getTime() - now.getTime();
      throw new RateLimitedError(Math.max(1, Math.ceil(wait / 1000)));
    }
  }

  /** One more consecutive failure; from the fifth, a delay doubling from 1 s up to 15 min. */
  async recordFailure(accountKey: string, now: Date): Promise<number> {
    const row = await this.rows.recordFailure(accountKey, now, {
      from: BACKOFF_FROM_FAILURE,
      baseSeconds: BACKOFF_BASE_SECONDS,
      capSeconds: BACKOFF_CAP_SECONDS,
    });
    return row?.consecutive_failures ?? 0;
  }

  async recordSuccess(accountKey: string): Promise<void> {
    await this.rows.clear(accountKey);
  }

  /** An administrator's reset lifts a lock (T3: "recovery required"): passwords and codes. */
  async reset(email: string, userId: string): Promise<void> {
    await this.recordSuccess(LoginThrottle.accountKey(email));
    await this.resetCodes(userId);
  }

  /** An administrator's MFA reset (a new second factor) clears the code failures. */
  async resetCodes(userId: string): Promise<void> {
    await this.recordSuccess(LoginThrottle.codeKey(userId));
  }
}
