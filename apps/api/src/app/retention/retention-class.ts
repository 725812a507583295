import type { RetentionClass as RetentionClassName } from '@harbour/domain';
import type { TenantScope } from '../../core/scope/request-scope';

/**
 * What is due in one class at one moment: the cutoff it was computed from, the records (ids, for
 * the purge; never shown), how many, the oldest and newest dates, and people's codes.
 */
export interface RetentionPlan {
  readonly cutoff: Date;
  readonly ids: readonly string[];
  readonly count: number;
  readonly oldest: Date | null;
  readonly newest: Date | null;
  readonly codes?: readonly string[];
}

/**
 * One retention class. `plan` lists what is due at `now` with the setting `keep` (never null:
 * "keep forever" plans nothing); `purge` removes exactly what that plan listed and returns how
 * many records it removed. The dry run shows the plans; a real run makes every plan at the same
 * `now` first, then purges each, so it removes exactly what a dry run at that `now` lists.
 *
 * A new class is one file implementing this and one line in `RETENTION_CLASS_TYPES`
 * (`retention-classes.ts`).
 */
export interface RetentionClass {
  readonly name: RetentionClassName;
  plan(scope: TenantScope, keep: number, now: Date): Promise<RetentionPlan>;
  purge(scope: TenantScope, plan: RetentionPlan, now: Date): Promise<number>;
}

/** A plan from rows ordered by their date (oldest first). */
export function planOf(
  cutoff: Date,
  rows: readonly { id: string; at: Date; code?: string }[],
  withCodes = false,
): RetentionPlan {
  return {
    cutoff,
    ids: rows.map((r) => r.id),
    count: rows.length,
    oldest: rows[0]?.at ?? null,
    newest: rows.at(-1)?.at ?? null,
    ...(withCodes ? { codes: rows.map((r) => r.code ?? '') } : {}),
  };
}

/** The class's provider list token: every registered class, in `RETENTION_CLASS_TYPES` order. */
export const RETENTION_CLASS_LIST = Symbol('RETENTION_CLASS_LIST');
