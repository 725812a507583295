import { createHmac } from 'node:crypto';
import type { PrunedRow } from '../../data/audit/access-log-pruned.queries';
import { logOrigin } from './event-format';

/**
 * The pruned prefix of an organisation's access log as the verifier and the proof routes use
 * it (docs/adr/0011-pruning-the-access-log.md): `[0, size)` is gone, kept as its frontier.
 */
export interface PrunedPrefix {
  readonly size: number;
  /** Roots of the complete subtrees of `[0, size)`, largest first. */
  readonly frontier: Uint8Array[];
  readonly newestPrunedAt: Date;
  readonly prunedAt: Date;
  readonly mac: Buffer | null;
}

export function prunedPrefixOf(row: PrunedRow | undefined): PrunedPrefix | null {
  if (row === undefined) return null;
  return {
    size: Number(row.pruned_size),
    frontier: row.frontier.map((b) => new Uint8Array(b)),
    newestPrunedAt: new Date(row.newest_pruned_at),
    prunedAt: new Date(row.pruned_at),
    mac: row.mac,
  };
}

/**
 * What the pruned row's MAC covers: the log, the prefix's size, its frontier and the newest
 * pruned event's time (the pruning time is informative only).
 */
export function prunedMacInput(
  organisationId: string,
  prefix: Pick<PrunedPrefix, 'size' | 'frontier' | 'newestPrunedAt'>,
): Uint8Array {
  const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
  return new TextEncoder().encode(
    [
      'harbour/log-pruned/v1',
      logOrigin(organisationId),
      String(prefix.size),
      prefix.frontier.map(hex).join(','),
      prefix.newestPrunedAt.toISOString(),
      '',
    ].join('\n'),
  );
}

/** HMAC-SHA256 of the pruned row (node:crypto; the verifier recomputes it with libsodium). */
export function prunedMacOf(
  macKey: Uint8Array,
  organisationId: string,
  prefix: Pick<PrunedPrefix, 'size' | 'frontier' | 'newestPrunedAt'>,
): Buffer {
  return createHmac('sha256', macKey).update(prunedMacInput(organisationId, prefix)).digest();
}
