import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import { TranslocoPipe } from '@jsverse/transloco';
import {
  NEED_CATEGORIES,
  NEED_PRIORITIES,
  type NeedCategory,
  type NeedPriority,
  type NewNeed,
} from '@harbour/domain';
import { required } from '../../../core/forms/validators';
import { needLabels, priorityLabels } from '../../../core/i18n/domain-labels';

/** "Add a need" outside a contact: its category and priority. Closes with the need, or null. */
@Component({
  selector: 'app-add-need-dialog',
  imports: [
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
          <mat-error>{{ 'corrections.needs.categoryRequired' | transloco }}</mat-error>
        </mat-form-field>
        <mat-form-field appearance="outline" class="wide">
          <mat-label>{{ 'corrections.needs.priority' | transloco }}</mat-label>
          <mat-select formControlName="priority" data-testid="add-need-priority">
            @for (value of priorities; track value) {
              <mat-option [value]="value">{{ priorityLabels[value] | transloco }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" [mat-dialog-close]="null">
          {{ 'common.cancel' | transloco }}
        </button>
        <button mat-flat-button type="submit" data-testid="add-need-confirm">
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
  private readonly ref = inject<MatDialogRef<AddNeedDialog, NewNeed | null>>(MatDialogRef);
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly categories = NEED_CATEGORIES;
  protected readonly priorities = NEED_PRIORITIES;
  protected readonly needLabels = needLabels;
  protected readonly priorityLabels = priorityLabels;
  protected readonly form = this.fb.group({
    category: this.fb.control<NeedCategory | null>(null, required),
    priority: this.fb.control<NeedPriority>('medium'),
  });

  protected confirm(): void {
    const { category, priority } = this.form.getRawValue();
    if (category === null) {
      this.form.markAllAsTouched();
      return;
    }
    this.ref.close({ category, priority });
  }
}
