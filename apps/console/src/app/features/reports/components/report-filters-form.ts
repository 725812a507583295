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
import { toSignal } from '@angular/core/rxjs-interop';
import type { AbstractControl, ValidationErrors, ValidatorFn } from '@angular/forms';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import type { ReportFilterAttribute, ReportTierName } from '@harbour/domain';
import { REPORT_FILTERS } from '@harbour/domain';
import { TranslocoPipe } from '@jsverse/transloco';
import { LanguageService } from '../../../core/i18n/language.service';
import { Clock } from '../../../core/time/clock';
import type { PartnerOption, ReportFilters } from '../data/report-filters';
import {
  defaultFilters,
  filterValues,
  isQuarter,
  isReportable,
  quartersOffered,
  yearOf,
  yearsOffered,
} from '../data/report-filters';
import { formatYear, quarterOptionText } from '../data/report-format';
import { FILTER_ATTRIBUTE_KEYS, filterValueLabel } from '../data/report-labels';
import { MonthPipe } from './month.pipe';

/** The form's values: plain strings; `''` for "whole year" and for "no filter". */
interface FormValue {
  readonly year: string;
  readonly quarter: string;
  readonly tier: ReportTierName;
  readonly attribute: ReportFilterAttribute | '';
  readonly value: string;
}

/** A chosen attribute needs a value. */
const filterValidator: ValidatorFn = (group: AbstractControl): ValidationErrors | null => {
  const { attribute, value } = group.value as Partial<FormValue>;
  return attribute && !value ? { valueRequired: true } : null;
};

function formValueOf(filters: ReportFilters): FormValue {
  return {
    year: String(yearOf(filters.period)),
    quarter: isQuarter(filters.period) ? filters.period : '',
    tier: filters.tier,
    attribute: filters.filter?.attribute ?? '',
    value: filters.filter?.value ?? '',
  };
}

/**
 * What the reports cover: a year (its closed quarters) or one closed quarter of it — a quarter
 * that has not ended is never offered —, the tier (internal, or external for reports leaving the
 * organisation), and at most one filter. Shows the applied filters, and emits new ones on "Show
 * reports". The API remains the judge of what can be reported.
 */
@Component({
  selector: 'app-report-filters-form',
  imports: [
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MonthPipe,
    ReactiveFormsModule,
    TranslocoPipe,
  ],
  templateUrl: './report-filters-form.html',
  styleUrl: './report-filters-form.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ReportFiltersForm {
  readonly filters = input.required<ReportFilters>();
  readonly partners = input<readonly PartnerOption[]>([]);
  /** Partner names for the value list (the partner list and the reports shown). */
  readonly partnerNames = input<Readonly<Record<string, string>>>({});
  readonly apply = output<ReportFilters>();

  private readonly clock = inject(Clock);
  protected readonly language = inject(LanguageService).active;
  protected readonly attributes = REPORT_FILTERS;
  protected readonly attributeKeys = FILTER_ATTRIBUTE_KEYS;

  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly form = this.fb.group(
    {
      year: [''],
      quarter: [''],
      tier: this.fb.control<ReportTierName>('internal'),
      attribute: this.fb.control<ReportFilterAttribute | ''>(''),
      value: [''],
    },
    { validators: [filterValidator] },
  );

  private readonly attribute = toSignal(this.form.controls.attribute.valueChanges, {
    initialValue: this.form.controls.attribute.value,
  });
  private readonly year = toSignal(this.form.controls.year.valueChanges, {
    initialValue: this.form.controls.year.value,
  });

  /** The years offered, newest first, as the active language writes them. */
  protected readonly years = computed(() => {
    const language = this.language().code;
    return yearsOffered(this.clock.now()).map((year) => ({
      value: String(year),
      label: formatYear(year, language),
    }));
  });

  /** The chosen year's closed quarters. */
  protected readonly quarters = computed(() => {
    const year = Number(this.year());
    if (!Number.isInteger(year) || year === 0) return [];
    const language = this.language().code;
    return quartersOffered(year, this.clock.now()).map((quarter) => ({
      value: quarter,
      text: quarterOptionText(quarter, language),
    }));
  });

  /** The chosen attribute's values, each with its label. */
  protected readonly values = computed(() => {
    const attribute = this.attribute();
    if (attribute === '') return [];
    const names = this.partnerNames();
    return filterValues(attribute, this.partners()).map((value) => ({
      value,
      label: filterValueLabel(attribute, value, names),
    }));
  });

  constructor() {
    effect(() => {
      const filters = this.filters();
      untracked(() => this.form.reset(formValueOf(filters)));
    });
  }

  /** A quarter belongs to its year: another year starts with the whole year. */
  protected yearChanged(): void {
    const { quarter } = this.form.controls;
    if (!this.quarters().some((option) => option.value === quarter.value)) quarter.setValue('');
  }

  /** A value belongs to its attribute: choosing another attribute starts with no value. */
  protected attributeChanged(): void {
    this.form.controls.value.setValue('');
  }

  protected submit(): void {
    this.form.markAllAsTouched();
    const { year, quarter, tier, attribute, value } = this.form.getRawValue();
    const period = quarter === '' ? year : quarter;
    if (this.form.invalid || !isReportable(period, this.clock.now())) return;
    this.apply.emit({
      period,
      tier,
      filter: attribute === '' ? null : { attribute, value },
    });
  }

  protected reset(): void {
    this.apply.emit(defaultFilters(this.clock.now()));
  }
}
