import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import { TranslocoPipe } from '@jsverse/transloco';
import type { Observable } from 'rxjs';
import {
  NEED_CATEGORIES,
  NEED_PRIORITIES,
  type NeedCategory,
  type NeedPriority,
  type NewNeed,
} from '@harbour/domain';
import { FieldErrorPipe } from '../../../core/forms/field-error.pipe';
import { DialogSubmission } from '../../../core/forms/dialog-submission';
import type { PathAliases } from '../../../core/forms/field-errors';
import { required } from '../../../core/forms/validators';
import { FormError } from '../../../core/ui/form-error';
import { needLabels, priorityLabels } from '../../../core/i18n/domain-labels';

export interface AddNeedDialogData {
  /**
   * Sends the need: the dialog closes once it succeeds and stays open on a refusal, with the
   * message under the field it concerns. Without, it closes with the need.
   */
  readonly submit?: (need: NewNeed) => Observable<unknown>;
}

/** `CreateNeedDto`'s paths in the dialog: the person is the page's, no contact is linked. */
export const ADD_NEED_PATHS: PathAliases = { personId: null, contactId: null };

/** "Add a need" outside a contact: its category and priority. Closes with the need, or null. */
@Component({
  selector: 'app-add-need-dialog',
  imports: [
    FieldErrorPipe,
    FormError,
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatSelectModule,
    ReactiveFormsModule,
    TranslocoPipe,
  ],
  template: `
    <h2 mat-dialog-title>{{ 'corrections.needs.title' | transloco }}</h2>
    <form [formGroup]="form" (ngSubmit)="confirm()" novalidate>
      <mat-dialog-content>
        <p>{{ 'corrections.needs.explain' | transloco }}</p>
        <mat-form-field appearance="outline" class="wide">
          <mat-label>{{ 'corrections.needs.category' | transloco }}</mat-label>
          <mat-select formControlName="category" data-testid="add-need-category" cdkFocusInitial>
            @for (value of categories; track value) {
              <mat-option [value]="value" [attr.data-category]="value">{{
                needLabels[value] | transloco
              }}</mat-option>
            }
          </mat-select>
          <mat-error data-testid="add-need-category-error">
            @if (form.controls.category.errors?.['required']) {
              {{ 'corrections.needs.categoryRequired' | transloco }}
            } @else {
              {{ form.controls.category.errors | fieldError }}
            }
          </mat-error>
        </mat-form-field>
        <mat-form-field appearance="outline" class="wide">
          <mat-label>{{ 'corrections.needs.priority' | transloco }}</mat-label>
          <mat-select formControlName="priority" data-testid="add-need-priority">
            @for (value of priorities; track value) {
              <mat-option [value]="value">{{ priorityLabels[value] | transloco }}</mat-option>
            }
          </mat-select>
          <mat-error data-testid="add-need-priority-error">
            {{ form.controls.priority.errors | fieldError }}
          </mat-error>
        </mat-form-field>
        <app-form-error testId="add-need-error" [error]="error()" [unmatched]="unmatched()" />
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" [mat-dialog-close]="null">
          {{ 'common.cancel' | transloco }}
        </button>
        <button mat-flat-button type="submit" data-testid="add-need-confirm" [disabled]="busy()">
          {{ 'corrections.needs.add' | transloco }}
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .wide {
      width: 100%;
    }
    button {
      min-height: 48px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { 'data-testid': 'add-need-dialog' },
})
export class AddNeedDialog {
  private readonly fb = inject(NonNullableFormBuilder);
  private readonly data = inject<AddNeedDialogData | null>(MAT_DIALOG_DATA, { optional: true });
  protected readonly categories = NEED_CATEGORIES;
  protected readonly priorities = NEED_PRIORITIES;
  protected readonly needLabels = needLabels;
  protected readonly priorityLabels = priorityLabels;
  protected readonly form = this.fb.group({
    category: this.fb.control<NeedCategory | null>(null, required),
    priority: this.fb.control<NeedPriority>('medium'),
  });
  private readonly sending = new DialogSubmission<NewNeed | null>(this.form, ADD_NEED_PATHS);
  protected readonly busy = this.sending.busy;
  protected readonly error = this.sending.error;
  protected readonly unmatched = this.sending.unmatched;

  protected confirm(): void {
    const { category, priority } = this.form.getRawValue();
    if (category === null) {
      this.sending.refuseLocally();
      return;
    }
    this.sending.send({ category, priority }, this.data?.submit);
  }
}
