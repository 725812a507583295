import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { uuidv7 } from '@harbour/domain';
import { FollowUpsRepository } from '../../data/follow-ups/follow-ups.repository';
import { Db } from '../../infra/database/transaction';
import { Scheduler, type TaskContext } from '../../infra/jobs/scheduler';
import { describeError } from '../../infra/logging/logger';
import { Clock } from '../../infra/time/clock';

export const STALE_REFERRALS_TASK = 'follow-ups.stale-referrals';
const STALE_REFERRALS_EVERY_MS = 60 * 60 * 1000;
const DAY_MS = 86_400_000;

/**
 * Automatic follow-ups for quiet referrals: every hour, per organisation with
 * `stale_referral_days` set, one follow-up (due today, no text) for every referral waiting on
 * its partner (`AWAITING_PARTNER_STATUSES`) that has had no status change — and no automatic
 * follow-up closed — for that many days, and has no open automatic follow-up. Idempotent: the
 * partial unique index keeps one open per referral however many instances run it. Assigned to
 * the person's first active key worker (with a case role), else the referral's creator.
 */
@Injectable()
export class StaleReferralsTask implements OnModuleInit {
  private readonly logger = new Logger('StaleReferralsTask');

  constructor(
    private readonly db: Db,
    private readonly followUps: FollowUpsRepository,
    private readonly scheduler: Scheduler,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.scheduler.register(STALE_REFERRALS_TASK, STALE_REFERRALS_EVERY_MS, (context) =>
      this.run(context).then(() => undefined),
    );
  }

  /** One pass over every organisation with the setting on; how many follow-ups it added. */
  async run({ signal }: TaskContext = { signal: new AbortController().signal }): Promise<number> {
    const organisations = await this.db.transaction(null, (tx) =>
      this.followUps.staleOrganisations(tx),
    );
    let added = 0;
    for (const organisationId of organisations) {
      if (signal.aborted) break;
      try {
        added += await this.db.transaction(organisationId, (tx) => this.runFor(tx, organisationId));
      } catch (error) {
        // One organisation's failure must not hold up the others; the next tick tries again.
        this.logger.error(
          `stale referral follow-ups failed for an organisation ${JSON.stringify({ organisationId, err: describeError(error) })}`,
        );
      }
    }
    return added;
  }

  private async runFor(
    tx: Parameters<FollowUpsRepository['quietReferrals']>[0],
    organisationId: string,
  ): Promise<number> {
    const days = await this.followUps.staleReferralDays(tx, organisationId);
    if (days === null) return 0;
    const now = this.clock.now();
    const quietBefore = new Date(now.getTime() - days * DAY_MS);
    const quiet = await this.followUps.quietReferrals(tx, organisationId, quietBefore);
    return this.followUps.insertAutomatic(
      tx,
      organisationId,
      quiet.map((r) => ({
        id: uuidv7(),
        referralId: r.id,
        personId: r.person_id,
        needId: r.need_id,
        assignedTo: r.assignee,
      })),
      now.toISOString().slice(0, 10),
      now,
    );
  }
}
