import { ChangeDetectionStrategy, Component, inject, signal, DestroyRef } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import {
  MAX_IDENTITY_TEXT_LENGTH,
  SLK_SEXES,
  type LookupCandidate,
  type LookupMatch,
  type LookupRequest,
  type SlkSex,
} from '@harbour/domain';
import { appErrorOf, type AppError } from '../../../core/http/app-error';
import { FormError } from '../../../core/ui/form-error';
import { CasesApi } from '../data/cases.api';
import { sexLabels } from '../../../core/i18n/domain-labels';

const MATCH_LABELS: Readonly<Record<LookupMatch, string>> = {
  name: 'cases.find.matched.name',
  alias: 'cases.find.matched.alias',
  slk: 'cases.find.matched.slk',
  phone: 'cases.find.matched.phone',
  code: 'cases.find.matched.code',
};

/**
 * Find a returning person by name or alias (any order, case, spacing or accents), by date of
 * birth with name and sex (the SLK-581 key), by phone or by code. What is typed goes to the API
 * in a request body, never in the address; results show codes only, and the page forgets the
 * search when it is left.
 */
@Component({
  selector: 'app-find-person-page',
  imports: [
    FormError,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    ReactiveFormsModule,
    RouterLink,
    TranslocoPipe,
  ],
  templateUrl: './find-person-page.html',
  styleUrl: './cases-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FindPersonPage {
  private readonly destroyRef = inject(DestroyRef);
  private readonly api = inject(CasesApi);

  protected readonly sexes = SLK_SEXES;
  protected readonly sexLabels = sexLabels;
  protected readonly matchLabels = MATCH_LABELS;
  protected readonly form = inject(NonNullableFormBuilder).group({
    name: ['', Validators.maxLength(MAX_IDENTITY_TEXT_LENGTH)],
    alias: ['', Validators.maxLength(MAX_IDENTITY_TEXT_LENGTH)],
    dateOfBirth: [''],
    sex: inject(NonNullableFormBuilder).control<SlkSex | null>(null),
    phone: ['', Validators.maxLength(40)],
    code: ['', Validators.maxLength(20)],
  });
  protected readonly searching = signal(false);
  protected readonly empty = signal(false);
  protected readonly error = signal<AppError | null>(null);
  protected readonly candidates = signal<readonly LookupCandidate[] | null>(null);

  protected search(): void {
    if (this.searching()) return;
    const request = this.request();
    this.empty.set(Object.keys(request).length === 0);
    if (this.empty() || this.form.invalid) return;
    this.searching.set(true);
    this.error.set(null);
    this.api
      .lookup(request)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (found) => this.candidates.set(found),
        error: (error: unknown) => {
          this.error.set(appErrorOf(error));
          this.searching.set(false);
        },
        complete: () => this.searching.set(false),
      });
  }

  protected clear(): void {
    this.form.reset();
    this.candidates.set(null);
    this.empty.set(false);
  }

  private request(): LookupRequest {
    const value = this.form.getRawValue();
    const request: Record<string, string> = {};
    for (const field of ['name', 'alias', 'dateOfBirth', 'phone', 'code'] as const) {
      const text = value[field].trim();
      if (text !== '') request[field] = text;
    }
    if (value.sex !== null) request['sex'] = value.sex;
    return request;
  }
}
