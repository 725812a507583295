import type { OnInit } from '@angular/core';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  ElementRef,
  inject,
  Injector,
  signal,
  untracked,
} from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatChipsModule } from '@angular/material/chips';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { TranslocoPipe } from '@jsverse/transloco';
import {
  LANGUAGE_GROUPS,
  PARTNER_SAFETY_ATTRIBUTES,
  PARTNER_SERVICE_TYPES,
  type LanguageGroup,
  type PartnerInput,
  type PartnerSafetyAttribute,
  type PartnerServiceType,
  type PartnerView,
  type FieldError,
} from '@harbour/domain';
import { SessionStore } from '../../../core/auth/session.store';
import { FieldErrorPipe } from '../../../core/forms/field-error.pipe';
import { applyFieldErrors } from '../../../core/forms/field-errors';
import { focusFirstInvalid } from '../../../core/forms/focus-invalid';
import { required } from '../../../core/forms/validators';
import type { AppError } from '../../../core/http/app-error';
import { FormError } from '../../../core/ui/form-error';
import { PartnerAdminActions } from '../components/partner-admin-actions';
import { PARTNER_PATHS } from '../data/partner-paths';
import { PartnersStore } from '../data/partners.store';
import * as labels from '../../../core/i18n/domain-labels';

/**
 * The partner directory: every member of staff reads it, filtered by what keeps people safe
 * (sex-worker friendly, no ID needed, immigration-safe …); admins add partners here.
 */
@Component({
  selector: 'app-partners-page',
  imports: [
    FieldErrorPipe,
    FormError,
    MatButtonModule,
    MatCardModule,
    MatCheckboxModule,
    MatChipsModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    PartnerAdminActions,
    ReactiveFormsModule,
    TranslocoPipe,
  ],
  providers: [PartnersStore],
  templateUrl: './partners-page.html',
  styleUrl: '../../../core/cases/cases-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PartnersPage implements OnInit {
  private readonly store = inject(PartnersStore);
  private readonly fb = inject(NonNullableFormBuilder);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly injector = inject(Injector);

  protected readonly labels = labels;
  protected readonly serviceTypes = PARTNER_SERVICE_TYPES;
  protected readonly languages = LANGUAGE_GROUPS;
  protected readonly safety = PARTNER_SAFETY_ATTRIBUTES;
  private readonly session = inject(SessionStore);
  protected readonly mayManage = computed(() =>
    this.session.permissions().has('organisation:manage'),
  );

  protected readonly filters = this.fb.group({
    serviceType: this.fb.control<PartnerServiceType | null>(null),
    language: this.fb.control<LanguageGroup | null>(null),
    safety: this.fb.control<PartnerSafetyAttribute[]>([]),
    includeInactive: [false],
  });
  protected readonly addForm = this.fb.group({
    name: ['', [required, Validators.maxLength(200)]],
    serviceType: this.fb.control<PartnerServiceType | null>(null, required),
    languages: this.fb.control<LanguageGroup[]>([]),
    safety: this.fb.control<PartnerSafetyAttribute[]>([]),
    contactDetails: ['', Validators.maxLength(500)],
  });
  protected readonly partners = this.store.partners;
  protected readonly loading = this.store.loading;
  protected readonly error = this.store.error;
  protected readonly adding = this.store.adding;
  protected readonly addError = this.store.addError;
  protected readonly added = this.store.added;
  protected readonly saved = this.store.saved;
  protected readonly saveError = this.store.saveError;

  /** Field errors of a refused addition that no control shows (named in words in the banner). */
  protected readonly addUnmatched = signal<readonly FieldError[] | null>(null);

  constructor() {
    effect(() => {
      const failure = this.addError();
      untracked(() => this.showAddRefusal(failure));
    });
  }

  /** A refused partner goes on the controls it names; what none of them takes, to the banner. */
  private showAddRefusal(failure: AppError | null): void {
    if (failure?.code !== 'validation_failed') {
      this.addUnmatched.set(null);
      return;
    }
    this.addUnmatched.set(
      applyFieldErrors(this.addForm, failure.details.fields ?? [], PARTNER_PATHS),
    );
    focusFirstInvalid(this.host.nativeElement, this.injector);
  }

  ngOnInit(): void {
    this.search();
  }

  protected search(): void {
    const value = this.filters.getRawValue();
    const query: Record<string, unknown> = {};
    if (value.serviceType !== null) query['serviceType'] = value.serviceType;
    if (value.language !== null) query['language'] = value.language;
    for (const attribute of value.safety) query[attribute] = true;
    if (value.includeInactive) query['includeInactive'] = true;
    this.store.search(query);
  }

  protected safetyOf(partner: PartnerView): PartnerSafetyAttribute[] {
    return PARTNER_SAFETY_ATTRIBUTES.filter((attribute) => partner[attribute]);
  }

  protected add(): void {
    this.addForm.markAllAsTouched();
    if (this.addForm.invalid) {
      focusFirstInvalid(this.host.nativeElement, this.injector);
      return;
    }
    if (this.adding()) return;
    const value = this.addForm.getRawValue();
    const contactDetails = value.contactDetails.trim();
    const body: PartnerInput = {
      name: value.name.trim(),
      serviceType: value.serviceType ?? 'other',
      languages: value.languages,
      ...Object.fromEntries(PARTNER_SAFETY_ATTRIBUTES.map((a) => [a, value.safety.includes(a)])),
      ...(contactDetails !== '' ? { contactDetails } : {}),
    };
    this.store.add(body, () => {
      this.addForm.reset();
      this.search();
    });
  }
}
