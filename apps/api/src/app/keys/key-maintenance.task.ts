import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { Db } from '../../infra/database/transaction';
import { Scheduler, type TaskContext } from '../../infra/jobs/scheduler';
import { Clock } from '../../infra/time/clock';
import { KeyLifecycle } from '../../core/keyring/key-lifecycle';

export const KEY_MAINTENANCE_TASK = 'keys.destroy-retired';
const KEY_MAINTENANCE_EVERY_MS = 60 * 60 * 1000;

/**
 * Destroys the material of retired data keys once their backup window is over
 * (`HARBOUR_KEY_BACKUP_WINDOW_DAYS`): until then a data backup from before the rotation can
 * still be restored and read; after it, the key row stays (as `destroyed`) and opens nothing.
 */
@Injectable()
export class KeyMaintenance implements OnModuleInit {
  private readonly logger = new Logger('KeyMaintenance');

  constructor(
    private readonly db: Db,
    private readonly keys: KeyLifecycle,
    private readonly scheduler: Scheduler,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.scheduler.register(KEY_MAINTENANCE_TASK, KEY_MAINTENANCE_EVERY_MS, async (context) => {
      await this.run(context);
    });
  }

  /** One pass: every organisation with retired keys due. Returns how many keys were destroyed. */
  async run({ signal }: TaskContext = { signal: new AbortController().signal }): Promise<number> {
    const now = this.clock.now();
    const due = await this.db.transaction(null, (tx) => this.keys.retiredKeysDue(tx, now));
    let destroyed = 0;
    for (const organisationId of due) {
      if (signal.aborted) break;
      const keys = await this.db.transaction(organisationId, (tx) =>
        this.keys.destroyRetired(tx, organisationId, now),
      );
      destroyed += keys.length;
      if (keys.length > 0) this.logger.log({ organisationId, keys }, 'retired keys destroyed');
    }
    return destroyed;
  }
}
