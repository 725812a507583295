import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { KEYRING_POOL } from '../../infra/database/keyring-database.module';
import { Metrics, type PoolLike } from '../../infra/metrics/metrics';
import { MetricsRepository } from '../../data/metrics/metrics.repository';

/**
 * Connects the process's metrics to what they report at scrape time: the two connection pools
 * (the data database's, through TypeORM's driver, and the keyring's), the job queues and the
 * number of organisations in lockdown.
 */
@Injectable()
export class MetricsSources implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    private readonly dataSource: DataSource,
    private readonly rows: MetricsRepository,
    @Inject(KEYRING_POOL) private readonly keyringPool: Pool,
  ) {}

  onModuleInit(): void {
    const driver = this.dataSource.driver as unknown as { master?: PoolLike };
    if (driver.master !== undefined) this.metrics.watchPool('main', driver.master);
    this.metrics.watchPool('keyring', this.keyringPool);
    const manager = this.dataSource.manager;
    this.metrics.useDatabase({
      queueDepth: () => this.rows.jobQueueDepth(manager),
      organisationsInLockdown: () => this.rows.organisationsInLockdown(manager),
    });
  }
}
