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
import { MAX_REPORT_MONTHS, REPORT_FILTERS } from '@harbour/domain';
import { TranslocoPipe } from '@jsverse/transloco';
import { LanguageService } from '../../../core/i18n/language.service';
import { Clock } from '../../../core/time/clock';
import type { PartnerOption, ReportFilters } from '../data/report-filters';
import { defaultFilters, filterValues, monthsOffered, rangeProblem } from '../data/report-filters';
import { FILTER_ATTRIBUTE_KEYS, filterValueLabel } from '../data/report-labels';
import { MonthPipe } from './month.pipe';

/** The form's values: plain strings, `''` for "no filter". */
interface FormValue {
  readonly from: string;
  readonly to: string;
  readonly tier: ReportTierName;
  readonly attribute: ReportFilterAttribute | '';
  readonly value: string;
}

const rangeValidator: ValidatorFn = (group: AbstractControl): ValidationErrors | null => {
  const { from, to } = group.value as Partial<FormValue>;
  const problem = rangeProblem(from ?? '', to ?? '');
  return problem === null ? null : { [`range_${problem}`]: true };
};

/** A chosen attribute needs a value. */
const filterValidator: ValidatorFn = (group: AbstractControl): ValidationErrors | null => {
  const { attribute, value } = group.value as Partial<FormValue>;
  return attribute && !value ? { valueRequired: true } : null;
};

function formValueOf(filters: ReportFilters): FormValue {
  return {
    from: filters.from,
    to: filters.to,
    tier: filters.tier,
    attribute: filters.filter?.attribute ?? '',
    value: filters.filter?.value ?? '',
  };
}

/**
 * What the reports cover: a range of whole months, the tier (internal, or external for reports
 * leaving the organisation), and at most one filter. Shows the applied filters, and emits new
 * ones on "Show reports".
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
  protected readonly months = monthsOffered(this.clock.now());
  protected readonly attributes = REPORT_FILTERS;
  protected readonly attributeKeys = FILTER_ATTRIBUTE_KEYS;
  protected readonly maxMonths = MAX_REPORT_MONTHS;

  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly form = this.fb.group(
    {
      from: [''],
      to: [''],
      tier: this.fb.control<ReportTierName>('internal'),
      attribute: this.fb.control<ReportFilterAttribute | ''>(''),
      value: [''],
    },
    { validators: [rangeValidator, filterValidator] },
  );

  private readonly attribute = toSignal(this.form.controls.attribute.valueChanges, {
    initialValue: this.form.controls.attribute.value,
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

  /** A value belongs to its attribute: choosing another attribute starts with no value. */
  protected attributeChanged(): void {
    this.form.controls.value.setValue('');
  }

  protected submit(): void {
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    const { from, to, tier, attribute, value } = this.form.getRawValue();
    this.apply.emit({
      from,
      to,
      tier,
      filter: attribute === '' ? null : { attribute, value },
    });
  }

  protected reset(): void {
    this.apply.emit(defaultFilters(this.clock.now()));
  }
}
