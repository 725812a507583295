import { Injectable } from '@nestjs/common';
import type { HealthStatus } from '@harbour/domain';
import { DataSource } from 'typeorm';

const READY_TIMEOUT_MS = 2_000;

@Injectable()
export class HealthService {
  constructor(private readonly dataSource: DataSource) {}

  live(): HealthStatus {
    return { status: 'ok', checks: {} };
  }

  /** Ready when the database answers a trivial query within two seconds. */
  async ready(): Promise<HealthStatus> {
    const database = await this.checkDatabase();
    return { status: database, checks: { database } };
  }

  private async checkDatabase(): Promise<'ok' | 'unavailable'> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'unavailable'>((resolve) => {
      timer = setTimeout(() => resolve('unavailable'), READY_TIMEOUT_MS);
    });
    const probe = this.dataSource
      .query('SELECT 1')
      .then(() => 'ok' as const)
      .catch(() => 'unavailable' as const);
    try {
      return await Promise.race([probe, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
