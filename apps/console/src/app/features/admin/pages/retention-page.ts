import type { OnInit } from '@angular/core';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  ElementRef,
  inject,
  Injector,
  linkedSignal,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { ValidationErrors } from '@angular/forms';
import {
  retentionKeepProblem,
  type FieldError,
  type PurgeTrigger,
  type RetentionClass,
  type RetentionPolicyView,
  type RetentionUnit,
} from '@harbour/domain';
import { TranslocoPipe } from '@jsverse/transloco';
import { DatePipe } from '../../../core/i18n/date.pipe';
import { DateTimePipe } from '../../../core/i18n/date-time.pipe';
import { LanguageService } from '../../../core/i18n/language.service';
import { NumberPipe } from '../../../core/i18n/number.pipe';
import { PluralPipe, type PluralKeys } from '../../../core/i18n/plural.pipe';
import type { AppError } from '../../../core/http/app-error';
import { appErrorOf } from '../../../core/http/app-error';
import { FormError } from '../../../core/ui/form-error';
import { FieldErrorPipe } from '../../../core/forms/field-error.pipe';
import { focusFirstInvalid } from '../../../core/forms/focus-invalid';
import { splitRetentionRefusal } from '../data/retention-paths';
import { RetentionStore } from '../data/retention.store';

// Translation keys written out in full, so that the translation check sees every one of them.
const CLASS_LABELS: Readonly<Record<RetentionClass, { name: string; help: string }>> = {
  inactive_people: {
    name: 'retention.classes.inactive_people.name',
    help: 'retention.classes.inactive_people.help',
  },
  closed_referrals: {
    name: 'retention.classes.closed_referrals.name',
    help: 'retention.classes.closed_referrals.help',
  },
  contacts: { name: 'retention.classes.contacts.name', help: 'retention.classes.contacts.help' },
  access_events: {
    name: 'retention.classes.access_events.name',
    help: 'retention.classes.access_events.help',
  },
  idempotency_records: {
    name: 'retention.classes.idempotency_records.name',
    help: 'retention.classes.idempotency_records.help',
  },
  expired_sessions: {
    name: 'retention.classes.expired_sessions.name',
    help: 'retention.classes.expired_sessions.help',
  },
  throttle_rows: {
    name: 'retention.classes.throttle_rows.name',
    help: 'retention.classes.throttle_rows.help',
  },
};

const UNIT_LABELS: Readonly<Record<RetentionUnit, string>> = {
  months: 'retention.units.months',
  days: 'retention.units.days',
};

const TRIGGER_LABELS: Readonly<Record<PurgeTrigger, string>> = {
  job: 'retention.lastRun.triggers.job',
  cli: 'retention.lastRun.triggers.cli',
  admin: 'retention.lastRun.triggers.admin',
};

/**
 * Retention (admins): how long each class of records is kept (changing it needs step-up), a dry
 * run listing what a purge now would remove — counts, oldest and newest dates, people's codes
 * folded away — and the last purge run. Never an identity: the API sends none.
 */
@Component({
  selector: 'app-retention-page',
  imports: [
    DatePipe,
    DateTimePipe,
    FieldErrorPipe,
    FormError,
    MatButtonModule,
    MatProgressBarModule,
    NumberPipe,
    PluralPipe,
    TranslocoPipe,
  ],
  templateUrl: './retention-page.html',
  styleUrl: './retention-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RetentionPage implements OnInit {
  private readonly destroyRef = inject(DestroyRef);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly injector = inject(Injector);
  protected readonly store = inject(RetentionStore);
  protected readonly language = inject(LanguageService).active;
  protected readonly codesKeys: PluralKeys = {
    one: 'retention.dryRun.codes.one',
    other: 'retention.dryRun.codes.other',
  };
  protected readonly labels = CLASS_LABELS;
  protected readonly units = UNIT_LABELS;
  protected readonly triggers = TRIGGER_LABELS;

  /** The periods as edited, from the settings last loaded or saved. */
  protected readonly drafts = linkedSignal<Readonly<Record<string, number | null>>>(() =>
    Object.fromEntries((this.store.settings()?.policies ?? []).map((p) => [p.class, p.keep])),
  );
  protected readonly saving = signal(false);
  protected readonly saved = signal(false);
  protected readonly saveError = signal<AppError | null>(null);
  /** A refused period, by class, shown under its row (until that row changes). */
  protected readonly refusedRows = signal<Readonly<Record<string, ValidationErrors>>>({});
  /** Refused fields no row shows (named in words in the banner). */
  protected readonly saveUnmatched = signal<readonly FieldError[] | null>(null);
  protected readonly running = signal(false);
  protected readonly dryRunError = signal<AppError | null>(null);

  /** The classes whose draft differs from the saved value. */
  private readonly changed = computed(() =>
    (this.store.settings()?.policies ?? []).filter((p) => this.drafts()[p.class] !== p.keep),
  );
  /** A period outside its class's bounds (checked by the API too). */
  protected readonly invalid = computed(() =>
    this.changed().some(
      (p) => retentionKeepProblem(p.class, this.drafts()[p.class] ?? null) !== null,
    ),
  );
  protected readonly dirty = computed(() => this.changed().length > 0);
  protected readonly lastRun = computed(() => this.store.runs()[0] ?? null);
  protected readonly codes = computed(() =>
    (this.store.dryRun()?.classes ?? []).filter((c) => (c.codes?.length ?? 0) > 0),
  );

  ngOnInit(): void {
    this.store.load();
  }

  protected keepOf(policy: RetentionPolicyView): number | null {
    return this.drafts()[policy.class] ?? null;
  }

  protected refusalOf(cls: string): ValidationErrors | null {
    return this.refusedRows()[cls] ?? null;
  }

  private clearRefusal(cls: string): void {
    this.refusedRows.update((rows) => {
      const rest = { ...rows };
      delete rest[cls];
      return rest;
    });
  }

  protected setKeep(cls: RetentionClass, event: Event): void {
    this.clearRefusal(cls);
    const value = (event.target as HTMLInputElement).valueAsNumber;
    this.drafts.update((d) => ({ ...d, [cls]: Number.isFinite(value) ? value : Number.NaN }));
    this.saved.set(false);
  }

  protected setForever(policy: RetentionPolicyView, event: Event): void {
    this.clearRefusal(policy.class);
    const forever = (event.target as HTMLInputElement).checked;
    this.drafts.update((d) => ({ ...d, [policy.class]: forever ? null : policy.defaultKeep }));
    this.saved.set(false);
  }

  /** The day of an ISO timestamp, for the date pipe. */
  protected day(iso: string | null): string | null {
    return iso === null ? null : iso.slice(0, 10);
  }

  protected countOf(cls: string): number {
    return (this.lastRun()?.counts as Record<string, number> | undefined)?.[cls] ?? 0;
  }

  protected save(event: Event): void {
    event.preventDefault();
    if (this.saving() || !this.dirty() || this.invalid()) return;
    this.saving.set(true);
    this.saveError.set(null);
    this.saveUnmatched.set(null);
    this.refusedRows.set({});
    const policies = this.changed().map((p) => ({
      class: p.class,
      keep: this.drafts()[p.class] ?? null,
    }));
    this.store
      .save(policies)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () => this.saved.set(true),
        error: (error: unknown) => {
          this.refused(
            appErrorOf(error),
            policies.map((p) => p.class),
          );
          this.saving.set(false);
        },
        complete: () => this.saving.set(false),
      });
  }

  protected dryRun(): void {
    this.running.set(true);
    this.dryRunError.set(null);
    this.store
      .runDryRun()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        error: (error: unknown) => {
          this.dryRunError.set(appErrorOf(error));
          this.running.set(false);
        },
        complete: () => this.running.set(false),
      });
  }

  /**
   * A refused period (`retention_period_invalid` or `validation_failed`, with the fields) goes
   * under its row (the `i`-th policy sent); the rest to the banner.
   */
  private refused(failure: AppError, sent: readonly string[]): void {
    const fields = failure.details.fields ?? [];
    if (fields.length > 0) {
      const { rows, unmatched } = splitRetentionRefusal(fields, sent);
      this.refusedRows.set(rows);
      this.saveUnmatched.set(unmatched);
    }
    this.saveError.set(failure);
    focusFirstInvalid(this.host.nativeElement, this.injector);
  }
}
