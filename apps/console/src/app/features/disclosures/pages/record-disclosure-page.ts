import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatRadioModule } from '@angular/material/radio';
import { Router, RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import {
  DISCLOSURE_AUTHORITIES,
  DISCLOSURE_RECORD_FIELDS,
  IDENTITY_FIELDS,
  type FieldError,
} from '@harbour/domain';
import {
  disclosureAuthorityLabels,
  disclosureIdentityFieldLabels,
  disclosureRecordFieldLabels,
} from '../../../core/disclosures/disclosure-labels';
import { DisclosuresApi } from '../../../core/disclosures/disclosures.api';
import { FieldErrorPipe } from '../../../core/forms/field-error.pipe';
import type { AppError } from '../../../core/http/app-error';
import { appErrorOf } from '../../../core/http/app-error';
import { FormError } from '../../../core/ui/form-error';
import {
  ADVICE_MAX,
  applyFieldErrors,
  codeControl,
  disclosureForm,
  INSTRUMENT_MAX,
  MAX_PEOPLE,
  REQUESTER_MAX,
  toCreateRequest,
} from '../data/disclosure-form';

/**
 * "Record a request" (coordinators): who asks, under what legal instrument, for whom (people by
 * pseudonymous code) and what (fields, period), and the organisation's legal advice. Checked here
 * first; what the API still refuses is shown on the control it names.
 */
@Component({
  selector: 'app-record-disclosure-page',
  imports: [
    FieldErrorPipe,
    FormError,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatRadioModule,
    ReactiveFormsModule,
    RouterLink,
    TranslocoPipe,
  ],
  templateUrl: './record-disclosure-page.html',
  styleUrl: './disclosures.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RecordDisclosurePage {
  private readonly api = inject(DisclosuresApi);
  private readonly router = inject(Router);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly form = disclosureForm();
  protected readonly authorities = DISCLOSURE_AUTHORITIES;
  protected readonly identityFields = IDENTITY_FIELDS;
  protected readonly recordFields = DISCLOSURE_RECORD_FIELDS;
  protected readonly authorityLabels = disclosureAuthorityLabels;
  protected readonly identityLabels = disclosureIdentityFieldLabels;
  protected readonly recordLabels = disclosureRecordFieldLabels;
  protected readonly limits = {
    requester: REQUESTER_MAX,
    instrument: INSTRUMENT_MAX,
    advice: ADVICE_MAX,
  };
  protected readonly maxPeople = MAX_PEOPLE;

  protected readonly busy = signal(false);
  protected readonly error = signal<AppError | null>(null);
  /** The refused fields no control shows, named in the banner. */
  protected readonly unmatched = signal<FieldError[]>([]);
  /** Set once the form has been sent (or tried): group-level messages show from then on. */
  protected readonly submitted = signal(false);
  private idempotencyKey = crypto.randomUUID();

  protected addCode(): void {
    if (this.form.controls.people.length >= MAX_PEOPLE) return;
    this.form.controls.people.push(codeControl());
  }

  protected removeCode(index: number): void {
    if (this.form.controls.people.length > 1) this.form.controls.people.removeAt(index);
  }

  protected save(): void {
    this.submitted.set(true);
    this.error.set(null);
    this.unmatched.set([]);
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const request = toCreateRequest(this.form);
    this.busy.set(true);
    this.api
      .create(request, this.idempotencyKey)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (created) => {
          this.busy.set(false);
          void this.router.navigate(['/disclosures', created.id]);
        },
        error: (error: unknown) => {
          this.busy.set(false);
          // A refused request wrote nothing: a corrected one is a new request.
          this.idempotencyKey = crypto.randomUUID();
          const failure = appErrorOf(error);
          const fields = failure.details.fields ?? [];
          if (failure.code === 'disclosure_unknown_person' && fields.length === 0) {
            this.form.controls.people.setErrors({ unknownPerson: true });
          }
          this.unmatched.set(applyFieldErrors(this.form, fields));
          this.form.markAllAsTouched();
          this.error.set(failure);
        },
      });
  }
}
