import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { INestApplicationContext } from '@nestjs/common';
import { isUuid, jobPercent, type JobView } from '@harbour/domain';
import { BackgroundJobs } from '../core/jobs/background-jobs';
import { Db } from '../infra/database/transaction';
import { ProgressBar } from './progress-bar';

const USAGE = 64;

function line(job: JobView): string {
  const percent = jobPercent(job);
  return `${job.id}  ${job.kind.padEnd(15)}  ${job.state.padEnd(9)}  ${job.done}/${job.total ?? '?'}${percent === null ? '' : ` (${percent}%)`}${job.errorCode === null ? '' : `  ${job.errorCode}`}`;
}

/**
 * `harbour jobs --org <id> [--follow <job id>]`: an organisation's recent background jobs (key
 * rotations) with their progress, or one job followed with a progress bar until it ends (exit 0
 * when it completed, 2 when it failed). Reads what `GET /api/jobs` shows; changes nothing.
 */
export async function jobsCommand(
  args: readonly string[],
  app: () => Promise<INestApplicationContext>,
  pollMs = 1000,
): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: { org: { type: 'string' }, follow: { type: 'string' } },
    strict: true,
  });
  const org = values.org;
  if (
    org === undefined ||
    !isUuid(org) ||
    (values.follow !== undefined && !isUuid(values.follow))
  ) {
    process.stderr.write('jobs needs --org <organisation id> [--follow <job id>]\n');
    return USAGE;
  }
  const context = await app();
  try {
    const db = context.get(Db);
    const jobs = context.get(BackgroundJobs);
    if (values.follow === undefined) {
      const recent = await db.transaction(org, (tx) => jobs.recent(tx, org));
      process.stdout.write(
        recent.length === 0 ? 'No background jobs.\n' : `${recent.map(line).join('\n')}\n`,
      );
      return 0;
    }
    const id = values.follow;
    const bar = new ProgressBar(id.slice(0, 8));
    for (;;) {
      const job = await db.transaction(org, (tx) => jobs.view(tx, org, id));
      if (job === null) {
        bar.done();
        process.stderr.write(`no job ${id} in organisation ${org}\n`);
        return USAGE;
      }
      bar.update(job.done, job.total);
      if (job.state === 'completed' || job.state === 'failed') {
        bar.done();
        process.stdout.write(`${line(job)}\n`);
        return job.state === 'completed' ? 0 : 2;
      }
      await sleep(pollMs);
    }
  } finally {
    await context.close();
  }
}
