import { parseArgs } from 'node:util';
import type { INestApplicationContext } from '@nestjs/common';
import { isUuid, type RetentionClassResult } from '@harbour/domain';
import { RetentionService } from '../app/retention/retention.service';
import { tenantScope } from '../core/scope/request-scope';
import { RetentionRepository } from '../data/retention/retention.repository';
import { Db } from '../infra/database/transaction';
import { describeError } from '../infra/logging/logger';
import { Clock } from '../infra/time/clock';

const USAGE = 64;

const day = (iso: string | null): string => (iso === null ? '-' : iso.slice(0, 10));

/** One organisation's classes as a table: counts, oldest and newest days, people's codes. */
export function purgeReport(classes: readonly RetentionClassResult[]): string {
  const width = Math.max(...classes.map((c) => c.class.length));
  const lines = classes.map(
    (c) =>
      `  ${c.class.padEnd(width)}  ${(c.keep === null ? 'kept forever' : String(c.count)).padStart(12)}  oldest ${day(c.oldest)}  newest ${day(c.newest)}`,
  );
  const codes = classes.flatMap((c) =>
    c.codes !== undefined && c.codes.length > 0
      ? [`  codes (${c.class}): ${c.codes.join(' ')}`]
      : [],
  );
  return `${[...lines, ...codes].join('\n')}\n`;
}

/**
 * `harbour purge [--dry-run] [--org <organisation id>]`: what the retention settings make due
 * now, per organisation (every one not in lockdown, or `--org`): counts per class, the oldest and
 * newest dates, and the pseudonymous codes of people — never an identity. Without `--dry-run`
 * it purges exactly that (people crypto-shredded as erasure does), records a purge run
 * (`trigger` cli) and writes one access event; a dry run writes one access event and changes
 * nothing else.
 */
export async function purgeCommand(
  args: readonly string[],
  app: () => Promise<INestApplicationContext>,
): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: { org: { type: 'string' }, 'dry-run': { type: 'boolean' } },
    strict: true,
  });
  if (values.org !== undefined && !isUuid(values.org)) {
    process.stderr.write('purge takes --org <organisation id> and --dry-run\n');
    return USAGE;
  }
  const dryRun = values['dry-run'] === true;
  const context = await app();
  try {
    const db = context.get(Db);
    const retention = context.get(RetentionService);
    const clock = context.get(Clock);
    const organisations =
      values.org !== undefined
        ? [values.org]
        : await db.transaction(null, (tx) => context.get(RetentionRepository).organisations(tx));
    if (organisations.length === 0) {
      process.stdout.write('No organisation to purge (none, or every one in lockdown).\n');
      return 0;
    }
    let failures = 0;
    for (const organisationId of organisations) {
      const now = clock.now();
      try {
        const classes = await db.transaction(organisationId, async (tx) =>
          dryRun
            ? (await retention.dryRunRecorded(tenantScope(tx), now)).classes
            : (await retention.purge(tenantScope(tx), now, 'cli')).classes,
        );
        process.stdout.write(
          `${organisationId}: ${dryRun ? 'dry run' : 'purged'} at ${now.toISOString()}${dryRun ? ' (nothing removed)' : ''}\n${purgeReport(classes)}`,
        );
      } catch (error) {
        failures++;
        process.stdout.write(
          `${organisationId}: FAILED (${String(describeError(error)['type'])}): nothing of this organisation changed\n`,
        );
      }
    }
    return failures === 0 ? 0 : 2;
  } finally {
    await context.close();
  }
}
