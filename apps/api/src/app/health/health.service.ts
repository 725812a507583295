import { Inject, Injectable } from '@nestjs/common';
import type { HealthStatus } from '@harbour/domain';
import { DataSource } from 'typeorm';
import type { HarbourConfig } from '../../infra/config/config';
import { HARBOUR_CONFIG } from '../../infra/config/config.module';
import { pingDatabase } from '../../infra/database/ping';
import { ReplicaReads } from '../../infra/database/replica';

const READY_TIMEOUT_MS = 2_000;

@Injectable()
export class HealthService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(HARBOUR_CONFIG) private readonly config: HarbourConfig,
    private readonly replica: ReplicaReads,
  ) {}

  live(): HealthStatus {
    return { status: 'ok', checks: {} };
  }

  /**
   * Ready when the database answers a trivial query within two seconds and, in production, an
   * access-log witness is configured: without one, checkpoints stay in the database only, and a
   * database superuser could cut the newest events unseen (docs/security.md T27). A read
   * replica, when configured, is reported with its lag but never makes the API unready: reads
   * fall back to the primary without it.
   */
  async ready(): Promise<HealthStatus> {
    const [database, replica] = await Promise.all([this.checkDatabase(), this.checkReplica()]);
    const witness = this.witnessConfigured() ? 'ok' : 'unavailable';
    return {
      status: database === 'ok' && witness === 'ok' ? 'ok' : 'unavailable',
      checks: { database, witness, ...(replica === null ? {} : { replica: replica.check }) },
      ...(replica === null ? {} : { replicaLagSeconds: replica.lagSeconds }),
    };
  }

  private async checkReplica(): Promise<{
    check: 'ok' | 'unavailable';
    lagSeconds: number | null;
  } | null> {
    const maxLag = this.replica.maxLagSeconds;
    if (maxLag === null) return null;
    const state = await withTimeout(
      this.replica.state().catch(() => null),
      null,
    );
    if (state === null) return { check: 'unavailable', lagSeconds: null };
    const lagSeconds = Math.round(state.lagSeconds * 10) / 10;
    return { check: state.lagSeconds > maxLag ? 'unavailable' : 'ok', lagSeconds };
  }

  private witnessConfigured(): boolean {
    const { witnessDir, witnessUrl } = this.config.audit;
    return this.config.env !== 'production' || witnessDir !== null || witnessUrl !== null;
  }

  private checkDatabase(): Promise<'ok' | 'unavailable'> {
    const probe = pingDatabase(this.dataSource)
      .then(() => 'ok' as const)
      .catch(() => 'unavailable' as const);
    return withTimeout(probe, 'unavailable' as const);
  }
}

/** `probe`'s answer, or `fallback` when it takes longer than the readiness timeout. */
async function withTimeout<T>(probe: Promise<T>, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), READY_TIMEOUT_MS);
  });
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
