import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  output,
  untracked,
} from '@angular/core';
import type { AbstractControl, ValidationErrors, ValidatorFn } from '@angular/forms';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import type { AuditAction, AuditOutcome } from '@harbour/domain';
import { AUDIT_ACTIONS } from '@harbour/domain';
import { TranslocoPipe } from '@jsverse/transloco';
import { DateTimePipe } from '../../../core/i18n/date-time.pipe';
import { LanguageService } from '../../../core/i18n/language.service';
import type { ActionGroup } from '../data/audit-labels';
import {
  ACTION_GROUP_LABEL_KEYS,
  ACTION_GROUPS,
  actionLabelKey,
  AUDIT_OUTCOMES,
  OUTCOME_LABEL_KEYS,
} from '../data/audit-labels';
import type { AuditFilters } from '../data/audit-filters';
import { filtersFromForm, hasFilters, formFromFilters, NO_FILTERS } from '../data/audit-filters';

/** Staff ids are UUIDs; anything else would only earn a `400` from the API. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Empty, or a UUID (surrounding spaces from a paste are fine: they are trimmed). */
const uuidValidator: ValidatorFn = (control: AbstractControl): ValidationErrors | null => {
  const value = typeof control.value === 'string' ? control.value.trim() : '';
  return value === '' || UUID.test(value) ? null : { uuid: true };
};

/** Longest record id or code the form sends. */
const RESOURCE_MAX_LENGTH = 200;

/** "To" before "from" (both `YYYY-MM-DD`, which sort as text). */
const dateRangeValidator: ValidatorFn = (group: AbstractControl): ValidationErrors | null => {
  const { from, to } = group.value as { from?: string; to?: string };
  return from && to && to < from ? { dateRange: true } : null;
};

const actionGroups: readonly { group: ActionGroup; actions: readonly AuditAction[] }[] =
  ACTION_GROUPS.map((group) => ({
    group,
    actions: AUDIT_ACTIONS.filter((action) => action.startsWith(`${group}.`)),
  }));

/**
 * The filters of the events list. It shows the applied filters (also when they were set from
 * elsewhere: an actor's name in the list, an anomaly), and emits new ones on "Apply".
 */
@Component({
  selector: 'app-audit-filters-form',
  imports: [
    DateTimePipe,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    ReactiveFormsModule,
    TranslocoPipe,
  ],
  templateUrl: './audit-filters-form.html',
  styleUrl: './audit-filters-form.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AuditFiltersForm {
  readonly filters = input.required<AuditFilters>();
  readonly apply = output<AuditFilters>();
  readonly clear = output();

  protected readonly language = inject(LanguageService).active;
  protected readonly actionGroups = actionGroups;
  protected readonly actionLabel = actionLabelKey;
  protected readonly groupLabels = ACTION_GROUP_LABEL_KEYS;
  protected readonly outcomes = AUDIT_OUTCOMES;
  protected readonly outcomeLabels = OUTCOME_LABEL_KEYS;

  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly form = this.fb.group(
    {
      actor: ['', uuidValidator],
      action: this.fb.control<AuditAction | ''>(''),
      resource: ['', Validators.maxLength(RESOURCE_MAX_LENGTH)],
      outcome: this.fb.control<AuditOutcome | ''>(''),
      from: [''],
      to: [''],
    },
    { validators: dateRangeValidator },
  );

  /** Whether any filter is applied (the summary says so either way). */
  protected readonly filtered = computed(() => hasFilters(this.filters()));

  constructor() {
    effect(() => {
      const filters = this.filters();
      untracked(() => this.form.reset(formFromFilters(filters)));
    });
  }

  protected submit(): void {
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    this.apply.emit(filtersFromForm(this.form.getRawValue(), this.filters()));
  }

  protected reset(): void {
    this.form.reset(formFromFilters(NO_FILTERS));
    this.clear.emit();
  }
}
