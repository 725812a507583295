import { Inject, Injectable } from '@nestjs/common';
import type { HealthStatus } from '@harbour/domain';
import { DataSource } from 'typeorm';
import type { HarbourConfig } from '../../infra/config/config';
import { HARBOUR_CONFIG } from '../../infra/config/config.module';
import { pingDatabase } from '../../infra/database/ping';

const READY_TIMEOUT_MS = 2_000;

@Injectable()
export class HealthService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(HARBOUR_CONFIG) private readonly config: HarbourConfig,
  ) {}

  live(): HealthStatus {
    return { status: 'ok', checks: {} };
  }

  /**
   * Ready when the database answers a trivial query within two seconds and, in production, an
   * access-log witness is configured: without one, checkpoints stay in the database only, and a
   * database superuser could cut the newest events unseen (docs/security.md T27).
   */
  async ready(): Promise<HealthStatus> {
    const database = await this.checkDatabase();
    const witness = this.witnessConfigured() ? 'ok' : 'unavailable';
    return {
      status: database === 'ok' && witness === 'ok' ? 'ok' : 'unavailable',
      checks: { database, witness },
    };
  }

  private witnessConfigured(): boolean {
    const { witnessDir, witnessUrl } = this.config.audit;
    return this.config.env !== 'production' || witnessDir !== null || witnessUrl !== null;
  }

  private async checkDatabase(): Promise<'ok' | 'unavailable'> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'unavailable'>((resolve) => {
      timer = setTimeout(() => resolve('unavailable'), READY_TIMEOUT_MS);
    });
    const probe = pingDatabase(this.dataSource)
      .then(() => 'ok' as const)
      .catch(() => 'unavailable' as const);
    try {
      return await Promise.race([probe, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
