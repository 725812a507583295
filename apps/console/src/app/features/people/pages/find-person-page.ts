import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
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
  type LookupMatch,
  type LookupRequest,
  type SlkSex,
} from '@harbour/domain';
import { FormError } from '../../../core/ui/form-error';
import { FindPersonStore } from '../data/find-person.store';
import { sexLabels } from '../../../core/i18n/domain-labels';

const MATCH_LABELS: Readonly<Record<LookupMatch, string>> = {
  name: 'cases.find.matched.name',
  name_similar: 'cases.find.matched.nameSimilar',
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
  providers: [FindPersonStore],
  templateUrl: './find-person-page.html',
  styleUrl: '../../../core/cases/cases-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FindPersonPage {
  private readonly store = inject(FindPersonStore);

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
  protected readonly searching = this.store.searching;
  protected readonly empty = signal(false);
  protected readonly error = this.store.error;
  protected readonly candidates = this.store.candidates;

  protected search(): void {
    if (this.searching()) return;
    const request = this.request();
    this.empty.set(Object.keys(request).length === 0);
    if (this.empty() || this.form.invalid) return;
    this.store.search(request);
  }

  protected clear(): void {
    this.form.reset();
    this.store.clear();
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
