import { availableParallelism } from 'node:os';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import argon2 from 'argon2';

/** docs/security.md T1 (OWASP): argon2id, m = 19 MiB, t = 2, p = 1. */
export const ARGON2_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19 * 1024,
  timeCost: 2,
  parallelism: 1,
} as const;

/**
 * argon2id hashing with at most one hash per core at a time (a burst of sign-ins queues instead
 * of exhausting memory). Unknown accounts are verified against a dummy hash with the same cost,
 * so the response time does not reveal whether an account exists (T4).
 */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  private readonly limit = Math.max(1, availableParallelism());
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private dummyHash: string | null = null;

  async onModuleInit(): Promise<void> {
    this.dummyHash = await argon2.hash(
      'harbour dummy password for unknown accounts',
      ARGON2_OPTIONS,
    );
  }

  hash(password: string): Promise<string> {
    return this.bounded(() => argon2.hash(password, ARGON2_OPTIONS));
  }

  /** False for a wrong password or a malformed hash; never throws on bad input. */
  verify(hash: string, password: string): Promise<boolean> {
    return this.bounded(async () => {
      try {
        return await argon2.verify(hash, password);
      } catch {
        return false;
      }
    });
  }

  /** The same work as `verify`, for a user who does not exist. Always false. */
  async dummyVerify(password: string): Promise<false> {
    this.dummyHash ??= await argon2.hash(
      'harbour dummy password for unknown accounts',
      ARGON2_OPTIONS,
    );
    await this.verify(this.dummyHash, password);
    return false;
  }

  private async bounded<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}
