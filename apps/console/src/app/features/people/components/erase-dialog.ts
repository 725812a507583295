import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { TranslocoPipe } from '@jsverse/transloco';

/**
 * The last question before erasing a person at their request: what it does, and the person's
 * code typed again so that the wrong record cannot be erased by a slip. Closes with `true`.
 */
@Component({
  selector: 'app-erase-dialog',
  imports: [
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    ReactiveFormsModule,
    TranslocoPipe,
  ],
  template: `
    <h2 mat-dialog-title>{{ 'cases.erase.title' | transloco: { code } }}</h2>
    <mat-dialog-content>
      <p>{{ 'cases.erase.explain' | transloco }}</p>
      <ul class="consequences">
        <li>{{ 'cases.erase.identity' | transloco }}</li>
        <li>{{ 'cases.erase.notes' | transloco }}</li>
        <li>{{ 'cases.erase.kept' | transloco }}</li>
      </ul>
      <mat-form-field appearance="outline" class="full">
        <mat-label>{{ 'cases.erase.typeCode' | transloco: { code } }}</mat-label>
        <input matInput [formControl]="typed" autocomplete="off" data-testid="erase-code" />
      </mat-form-field>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" cdkFocusInitial [mat-dialog-close]="false">
        {{ 'common.cancel' | transloco }}
      </button>
      <button
        mat-flat-button
        type="button"
        class="app-danger"
        data-testid="erase-confirm"
        [disabled]="!matches()"
        [mat-dialog-close]="true"
      >
        {{ 'cases.erase.confirm' | transloco }}
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    .consequences {
      padding-inline-start: 20px;
    }
    .full {
      width: 100%;
    }
    button {
      min-height: 48px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { 'data-testid': 'erase-dialog' },
})
export class EraseDialog {
  protected readonly code = inject<string>(MAT_DIALOG_DATA);
  protected readonly typed = inject(NonNullableFormBuilder).control('');
  private readonly value = toSignal(this.typed.valueChanges, { initialValue: '' });
  protected readonly matches = computed(
    () => this.value().trim().toUpperCase().replace(/\s+/g, '') === this.code,
  );
}
