import { Inject, Injectable } from '@nestjs/common';
import {
  type FieldError,
  RETENTION_CLASSES,
  RETENTION_RULES,
  retentionKeepProblem,
  uuidv7,
  type PurgeRunView,
  type PurgeTrigger,
  type RetentionClass as RetentionClassName,
  type RetentionClassResult,
  type RetentionDryRun,
  type RetentionSettingsView,
  type UpdateRetentionSettingsRequest,
} from '@harbour/domain';
import type { SignedInScope, TenantScope } from '../../core/scope/request-scope';
import { RetentionRepository, type PurgeRunRow } from '../../data/retention/retention.repository';
import { accessEventOf, AUDIT_WRITER, type AuditWriter } from '../../infra/audit/audit-writer';
import { VersionConflictError } from '../../infra/http/domain-error';
import { Clock } from '../../infra/time/clock';
import { RetentionPeriodInvalidError } from './retention.errors';
import { RETENTION_CLASS_LIST, type RetentionClass, type RetentionPlan } from './retention-class';

/** How many purge runs `GET /api/retention/runs` shows. */
export const RECENT_PURGE_RUNS = 10;

type Keeps = Readonly<Record<RetentionClassName, number | null>>;

/** A real run: the purge run recorded and what each class removed. */
export interface PurgeOutcome {
  readonly run: PurgeRunView;
  readonly classes: readonly RetentionClassResult[];
}

/**
 * Retention settings, dry runs and purges (docs/design.md §9). A dry run and a real run at the
 * same `now` make the same plans (one `RetentionClass` query each); a real run makes every plan
 * first and then removes exactly what each listed, records a `purge_run` (counts only) and one
 * access event.
 */
@Injectable()
export class RetentionService {
  constructor(
    private readonly retention: RetentionRepository,
    @Inject(RETENTION_CLASS_LIST) private readonly classes: readonly RetentionClass[],
    @Inject(AUDIT_WRITER) private readonly audit: AuditWriter,
    private readonly clock: Clock,
  ) {}

  async settings(scope: TenantScope): Promise<RetentionSettingsView> {
    const rows = await this.retention.policies(scope.tx, scope.organisationId);
    const set = new Map(rows.map((r) => [r.record_class, r.keep]));
    return {
      version: rows.reduce((v, r) => Math.max(v, r.version), 0),
      policies: RETENTION_CLASSES.map((cls) => {
        const rule = RETENTION_RULES[cls];
        return {
          class: cls,
          unit: rule.unit,
          keep: set.has(cls) ? (set.get(cls) ?? null) : rule.defaultKeep,
          isDefault: !set.has(cls),
          defaultKeep: rule.defaultKeep,
          min: rule.min,
          max: rule.max,
          foreverAllowed: rule.foreverAllowed,
        };
      }),
    };
  }

  /**
   * Sets the classes given (checked against their rules first: nothing is written unless every
   * value is valid), under the settings' version (409 when stale).
   */
  async update(
    scope: SignedInScope,
    request: UpdateRetentionSettingsRequest,
  ): Promise<RetentionSettingsView> {
    const problems: FieldError[] = request.policies.flatMap((p, i) => {
      const reason = retentionKeepProblem(p.class, p.keep);
      const { min, max } = RETENTION_RULES[p.class];
      return reason === null ? [] : [{ path: `policies.${i}.keep`, reason, limits: { min, max } }];
    });
    const seen = new Set<string>();
    request.policies.forEach((p, i) => {
      if (seen.has(p.class)) problems.push({ path: `policies.${i}.class`, reason: 'duplicate' });
      seen.add(p.class);
    });
    if (problems.length > 0) throw new RetentionPeriodInvalidError(problems);

    const { tx, organisationId, principal } = scope;
    await this.retention.lockSettings(tx, organisationId);
    const current = await this.settings(scope);
    if (current.version !== request.version) throw new VersionConflictError();
    const version = current.version + 1;
    const now = this.clock.now();
    for (const p of request.policies) {
      await this.retention.upsertPolicy(tx, {
        organisationId,
        recordClass: p.class,
        keep: p.keep,
        version,
        now,
        userId: principal.userId,
      });
    }
    await this.retention.bumpVersion(tx, organisationId, version);
    return this.settings(scope);
  }

  /** What a purge at `now` would remove, per class; nothing is changed. */
  async dryRun(scope: TenantScope, now: Date = this.clock.now()): Promise<RetentionDryRun> {
    const planned = await this.plans(scope, now);
    return {
      at: now.toISOString(),
      classes: planned.map(({ cls, keep, plan }) => resultOf(cls, keep, plan)),
    };
  }

  /**
   * Purges what is due at `now`: every plan first (so one class's purge cannot change what
   * another lists), then each class removes what its plan listed. Records the run and writes
   * one access event (`retention.purged`: the run's id and the codes of the people shredded).
   */
  async purge(scope: TenantScope, now: Date, trigger: PurgeTrigger): Promise<PurgeOutcome> {
    const startedAt = this.clock.now();
    const planned = await this.plans(scope, now);
    const classes: RetentionClassResult[] = [];
    const counts: Partial<Record<RetentionClassName, number>> = {};
    for (const { cls, keep, plan } of planned) {
      const removed = plan === null ? 0 : await cls.purge(scope, plan, now);
      counts[cls.name] = removed;
      classes.push({ ...resultOf(cls, keep, plan), count: removed });
    }
    const finishedAt = new Date(Math.max(this.clock.now().getTime(), startedAt.getTime()));
    const id = uuidv7();
    await this.retention.insertRun(scope.tx, {
      organisationId: scope.organisationId,
      id,
      trigger,
      startedAt,
      finishedAt,
      counts,
    });
    const codes = planned.flatMap((p) => p.plan?.codes ?? []);
    await this.audit.append(
      scope.tx,
      accessEventOf({
        organisationId: scope.organisationId,
        action: 'retention.purged',
        resourceType: 'purge_run',
        resourceIds: [id, ...codes],
        outcome: 'success',
      }),
    );
    return {
      run: viewOf({ id, trigger, started_at: startedAt, finished_at: finishedAt, counts }),
      classes,
    };
  }

  /** A dry run asked for outside a request (the CLI): one access event of its own. */
  async dryRunRecorded(scope: TenantScope, now: Date): Promise<RetentionDryRun> {
    const result = await this.dryRun(scope, now);
    await this.audit.append(
      scope.tx,
      accessEventOf({
        organisationId: scope.organisationId,
        action: 'retention.dry_run',
        resourceType: 'retention_policy',
        outcome: 'success',
      }),
    );
    return result;
  }

  async runs(scope: TenantScope): Promise<PurgeRunView[]> {
    const rows = await this.retention.recentRuns(scope.tx, scope.organisationId, RECENT_PURGE_RUNS);
    return rows.map(viewOf);
  }

  /** Every registered class's plan at `now` under the organisation's settings. */
  private async plans(
    scope: TenantScope,
    now: Date,
  ): Promise<{ cls: RetentionClass; keep: number | null; plan: RetentionPlan | null }[]> {
    const settings = await this.settings(scope);
    const keeps = Object.fromEntries(
      settings.policies.map((p) => [p.class, p.keep]),
    ) as unknown as Keeps;
    const planned = [];
    for (const cls of this.classes) {
      const keep = keeps[cls.name];
      planned.push({ cls, keep, plan: keep === null ? null : await cls.plan(scope, keep, now) });
    }
    return planned;
  }
}

function resultOf(
  cls: RetentionClass,
  keep: number | null,
  plan: RetentionPlan | null,
): RetentionClassResult {
  return {
    class: cls.name,
    keep,
    count: plan?.count ?? 0,
    oldest: plan?.oldest?.toISOString() ?? null,
    newest: plan?.newest?.toISOString() ?? null,
    ...(plan?.codes === undefined ? {} : { codes: [...plan.codes] }),
  };
}

function viewOf(row: PurgeRunRow): PurgeRunView {
  return {
    id: row.id,
    trigger: row.trigger as PurgeTrigger,
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at.toISOString(),
    counts: row.counts,
  };
}
